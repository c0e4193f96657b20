import { describe, expect, it } from 'vitest';
import { loadTestPrices, postUsage, testEngine } from '../support/engine-usage.js';
import { onboardedUser } from '../support/journeys.js';
import { messagesTo } from '../support/outbox.js';
import { freshUsNumber } from '../support/phone-numbers.js';
import { addDailyUsage } from '../support/usage.js';
import { browserJourneysSkipped } from './chromium.js';
import { browserJourney } from './journey.js';
import { openFromMenu } from './sign-in.js';

describe.skipIf(browserJourneysSkipped())('Billing > Payment Settings in a browser', () => {
  const journey = browserJourney();

  it('the owner sets balance alerts: the suggested threshold in one click, a refused address explained, the webhook secret shown once', async () => {
    const owner = await onboardedUser(journey.server);
    const me = await owner.client.get('/api/me');
    const accountId: string = me.body.account.id;
    const yesterday = new Date(journey.server.clock.now().getTime() - 86_400_000).toISOString().slice(0, 10);
    // 375.00 in the last 30 days: 12.50 a day.
    await addDailyUsage(journey.server.system.database.db, [
      { accountId, day: yesterday, product: 'sms', events: 1, quantity: 1, amountMicros: 375_000_000n },
    ]);

    const page = await journey.signedInPage(owner);
    await openFromMenu(page, 'Payment Settings');
    await page.getByText('$250.00', { exact: true }).waitFor();
    await page.getByText('Suggested: $12.50').waitFor();
    await page.getByRole('button', { name: 'Use this', exact: true }).click();
    expect(await page.getByRole('textbox', { name: 'Threshold 1' }).inputValue()).toBe('12.5');

    await page.getByRole('button', { name: 'Add address', exact: true }).click();
    await page.getByRole('textbox', { name: 'Notification email 1' }).fill('finance@');
    await page.getByRole('button', { name: 'Save alerts', exact: true }).click();
    await page.getByRole('alert').getByText('"finance@" is not an email address').waitFor();

    await page.getByRole('textbox', { name: 'Notification email 1' }).fill('Finance@Acme-Telecom.com');
    await page
      .getByRole('textbox', { name: 'Webhook URL (optional)' })
      .fill('http://127.0.0.1:9/hooks/balance');
    await page.getByRole('button', { name: 'Save alerts', exact: true }).click();
    await page.getByText('Saved.', { exact: true }).waitFor();
    const secret = await page.getByLabel('Webhook signing secret', { exact: true }).textContent();
    expect(secret).toMatch(/^whsec_/);
    expect(await page.getByRole('textbox', { name: 'Notification email 1' }).inputValue()).toBe(
      'finance@acme-telecom.com',
    );

    if (process.env.SCREENSHOT) await page.screenshot({ path: process.env.SCREENSHOT, fullPage: true });
    // Shown once: after a reload only "A signing secret is set" remains.
    await page.reload();
    await page.getByText('A signing secret is set.').waitFor();
    expect(await page.getByLabel('Webhook signing secret', { exact: true }).count()).toBe(0);
    expect(await page.getByRole('textbox', { name: 'Threshold 1' }).inputValue()).toBe('12.5');
    await page.getByRole('button', { name: 'New signing secret', exact: true }).click();
    const rotated = await page.getByLabel('Webhook signing secret', { exact: true }).textContent();
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(secret);
  });

  it('the owner adds a test card, recharges, gets the receipt and turns on auto-recharge and an alert; usage below them brings the alert email and the recharge', async () => {
    const server = journey.server;
    const owner = await onboardedUser(server);
    const authId: string = (await owner.client.get('/api/me')).body.account.authId;
    const page = await journey.signedInPage(owner);
    await openFromMenu(page, 'Payment Settings');

    // A test card, through the test gateway's own form.
    await page.getByRole('textbox', { name: 'Card number' }).fill('4000 0000 0000 9999');
    await page.getByRole('textbox', { name: 'CVC' }).fill('123');
    await page.getByRole('button', { name: 'Save card', exact: true }).click();
    await page.getByRole('alert').getByText('The test gateway takes only its test card numbers').waitFor();
    await page.getByRole('textbox', { name: 'Card number' }).fill('4242 4242 4242 4242');
    await page.getByRole('button', { name: 'Save card', exact: true }).click();
    await page.getByText('Visa •••• 4242, expires 12/2030').waitFor();

    // Recharge now, and its receipt.
    await page.getByRole('textbox', { name: 'Amount (USD)' }).fill('60');
    await page.getByRole('button', { name: 'Recharge', exact: true }).click();
    await page.getByText('$60.00 received and added to the balance.').waitFor();
    const receiptHref = await page.getByRole('link', { name: 'Download the receipt' }).getAttribute('href');
    const receipt = await page.request.get(new URL(receiptHref as string, page.url()).toString());
    expect(receipt.status()).toBe(200);
    expect((await receipt.body()).subarray(0, 5).toString()).toBe('%PDF-');

    // Auto-recharge up to $100 below $40, and an alert at $45.
    await page.getByLabel('Recharge automatically').check();
    await page.getByRole('textbox', { name: 'Threshold (USD)' }).fill('40');
    await page.getByRole('textbox', { name: 'Target balance (USD)' }).fill('100');
    await page.getByRole('button', { name: 'Save auto-recharge', exact: true }).click();
    await page.getByText('Auto-recharge saved: it is on.').waitFor();
    await page.getByRole('button', { name: 'Add threshold', exact: true }).click();
    await page.getByRole('textbox', { name: 'Threshold 1' }).fill('45');
    await page.getByRole('button', { name: 'Save alerts', exact: true }).click();
    await page.getByText('Saved.', { exact: true }).waitFor();

    // An engine posts $30 of SMS: the balance drops from $60 to $30, past $45 and $40.
    await loadTestPrices(server, [
      { country_iso: 'GB', product: 'sms', direction: 'outbound', rate_micros: 1_000_000n },
    ]);
    const engine = await testEngine(server);
    const events = Array.from({ length: 30 }, (_, n) => ({
      id: `journey-${authId}-${n}`,
      account: authId,
      product: 'sms',
      direction: 'outbound',
      from: '+14155550100',
      to: '+447700900123',
      quantity: 1,
      started_at: server.clock.now().toISOString(),
    }));
    const posted = await postUsage(server, engine.key, { events });
    expect(posted.body.events.every((event: { status: string }) => event.status === 'charged')).toBe(true);
    await server.system.jobs.drain();

    const alert = (await messagesTo(server, owner.email)).find((m) => m.subject.startsWith('Balance alert'));
    expect(alert?.subject).toContain('is below $45.00');
    await page.reload();
    const autoRow = page
      .getByRole('table', { name: 'Payments' })
      .getByRole('row')
      .filter({ hasText: 'Auto-recharge' });
    await autoRow.getByText('Received').waitFor();
    await autoRow.getByText('$70.00').waitFor();
    expect(
      (await server.system.ledger.balance((await owner.client.get('/api/me')).body.account.id)).micros,
    ).toBe(100_000_000n);
  });

  it('with no credit the banner says what has stopped and renting is refused; after a recharge renting works and the banner is gone', async () => {
    const server = journey.server;
    const owner = await onboardedUser(server);
    const number = freshUsNumber();
    await server.system.numbers.load(
      { ip: 'test', userAgent: null },
      `number,country_iso,type,region,voice,sms,monthly_rental\n${number},US,local,"California, UNITED STATES",true,true,0.8\n`,
    );
    const page = await journey.signedInPage(owner);
    const banner = page.getByRole('region', { name: 'Your account has no credit to spend' });
    await banner.getByText('New calls and messages, and renting numbers').waitFor();
    await banner.getByText('Your phone numbers stay rented').waitFor();

    const rent = async () => {
      await openFromMenu(page, 'Phone Numbers');
      await page.getByRole('button', { name: 'Buy number' }).click();
      const buy = page.getByRole('dialog', { name: 'Buy number' });
      await buy.getByRole('textbox', { name: 'Pattern' }).fill(number.slice(1));
      await buy.getByRole('button', { name: 'Search', exact: true }).click();
      await buy.getByRole('button', { name: `Rent ${number}` }).click();
      return buy;
    };
    const refused = await rent();
    await refused.getByText('The account is out of credit: renting').waitFor();
    await page.keyboard.press('Escape');
    await refused.waitFor({ state: 'hidden' });

    await banner.getByRole('link', { name: 'Recharge' }).click();
    await page.getByRole('textbox', { name: 'Card number' }).fill('4242 4242 4242 4242');
    await page.getByRole('textbox', { name: 'CVC' }).fill('123');
    await page.getByRole('button', { name: 'Save card', exact: true }).click();
    await page.getByText('Visa •••• 4242, expires 12/2030').waitFor();
    await page.getByRole('textbox', { name: 'Amount (USD)' }).fill('20');
    await page.getByRole('button', { name: 'Recharge', exact: true }).click();
    await page.getByText('$20.00 received and added to the balance.').waitFor();
    await banner.waitFor({ state: 'detached' });

    const bought = await rent();
    await bought.waitFor({ state: 'hidden' });
    await page
      .getByRole('table', { name: 'Phone numbers' })
      .getByRole('row')
      .filter({ hasText: number })
      .waitFor();

    await openFromMenu(page, 'Limits');
    await page.getByText('0 of 100', { exact: true }).waitFor();
    const inProgress = page.getByRole('progressbar', { name: 'Sessions in progress' });
    expect(await inProgress.getAttribute('aria-valuenow')).toBe('0');
  });
});
