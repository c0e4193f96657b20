import { describe, expect, it } from 'vitest';
import { messagingAccount, usDestination } from '../support/messaging.js';
import { browserJourneysSkipped } from './chromium.js';
import { browserJourney } from './journey.js';
import { openFromMenu } from './sign-in.js';

describe.skipIf(browserJourneysSkipped())('Messaging in a browser', () => {
  const journey = browserJourney();

  it('whitelists a sender ID, sends a test SMS from Messaging > Logs, watches it reach delivered with its timeline, and finds it in the Usage Summary', async () => {
    const owner = await messagingAccount(journey.server);
    const page = await journey.signedInPage(owner);

    await openFromMenu(page, 'Sender IDs');
    await page.getByText('No sender IDs yet.').waitFor();
    const whitelist = page.getByRole('form', { name: 'Whitelist a sender ID' });
    await whitelist.getByRole('textbox', { name: 'Sender ID' }).fill('A!');
    await whitelist.getByRole('button', { name: 'Whitelist', exact: true }).click();
    await page.getByRole('alert').getByText('3 to 11 letters, digits or spaces').waitFor();
    await whitelist.getByRole('textbox', { name: 'Sender ID' }).fill('ACME');
    await whitelist.getByRole('button', { name: 'Whitelist', exact: true }).click();
    const senderIds = page.getByRole('table', { name: 'Sender IDs' });
    await senderIds.getByRole('row').filter({ hasText: 'ACME' }).getByText('Main account').waitFor();

    await openFromMenu(page, 'Logs');
    await page.getByText('No messages match these filters.').waitFor();
    const form = page.getByRole('form', { name: 'Send a test SMS' });
    const from = form.getByRole('combobox', { name: 'From' });
    await from.selectOption({ label: 'ACME, sender ID (Main account)' });
    await from.selectOption({ label: `+${owner.number} (Main account)` });
    // A destination that is no phone number is refused beside the field, and nothing is queued.
    await form.getByRole('textbox', { name: 'To' }).fill('12');
    await form.getByRole('textbox', { name: 'Text' }).fill('Your code is 123456');
    await form.getByRole('button', { name: 'Send', exact: true }).click();
    await form.getByText('12 is not a phone number with its country code').waitFor();

    const to = usDestination();
    await form.getByRole('textbox', { name: 'To' }).fill(`+${to}`);
    await form.getByRole('button', { name: 'Send', exact: true }).click();
    await form.getByRole('status').getByText('Queued:').waitFor();

    // The list looks again by itself while the message is on its way: queued, sent, then delivered.
    const row = page.getByRole('table', { name: 'Messages' }).getByRole('row').filter({ hasText: to });
    await row.getByText('delivered', { exact: true }).waitFor({ timeout: 30_000 });
    expect(await row.getByRole('cell', { name: '$0.0065', exact: true }).count()).toBe(1);
    expect(await row.getByRole('cell', { name: owner.number, exact: true }).count()).toBe(1);

    await row.getByRole('link', { name: new RegExp(`^Message to ${to} at `) }).click();
    await page.getByRole('heading', { name: 'Message', exact: true }).waitFor();
    await page.getByText('Your code is 123456').waitFor();
    const timeline = page.getByLabel('Delivery timeline');
    await timeline.getByText('delivered', { exact: true }).waitFor();
    expect(await timeline.getByText(/^(queued|sent|delivered)$/).allTextContents()).toEqual([
      'queued',
      'sent',
      'delivered',
    ]);

    await openFromMenu(page, 'Usage Summary');
    const usage = page.getByRole('table', { name: 'Usage by product and subaccount' });
    const sms = usage.getByRole('row').filter({ hasText: 'SMS' });
    await sms.getByText('1 segments').waitFor();
    expect(await sms.getByText('$0.0065', { exact: true }).count()).toBe(1);
  });
});
