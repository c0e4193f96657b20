import { describe, expect, it } from 'vitest';
import { onboardedUser } from '../support/journeys.js';
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
});
