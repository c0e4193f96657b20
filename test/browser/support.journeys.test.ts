import { describe, expect, it } from 'vitest';
import { totpCodeAt } from '../../src/modules/identity/totp.js';
import { setUpStaff, staffPassword, uniqueEmail } from '../support/journeys.js';
import { browserJourneysSkipped } from './chromium.js';
import { browserJourney } from './journey.js';
import { linkPathIn, nextMessageTo, seenMessages } from './outbox.js';

describe.skipIf(browserJourneysSkipped())('support tickets in a browser', () => {
  const journey = browserJourney();

  it('a visitor creates a ticket with an attachment and checks its status by the emailed link; staff answer it', async () => {
    const email = uniqueEmail('visitor');
    const page = await journey.freshPage();
    await page.goto(`${journey.server.url}/support`);
    await page.getByRole('textbox', { name: 'Email' }).fill(email);
    await page.getByRole('textbox', { name: 'Subject' }).fill('Calls drop after 30 seconds');
    await page.getByRole('textbox', { name: 'Description' }).fill('Every call to +44 ends at 30 s.');
    await page.locator('input[type=file]').setInputFiles({
      name: 'calls.log',
      mimeType: 'text/plain',
      buffer: Buffer.from('10:00:30 BYE from carrier\n'),
    });
    await page.getByRole('button', { name: 'Create New Ticket', exact: true }).click();
    await page.getByText('Your ticket number is').waitFor();
    const number = (
      (await page
        .locator('strong')
        .filter({ hasText: /^T-\d{6}$/ })
        .textContent()) ?? ''
    ).trim();
    expect(number).toMatch(/^T-\d{6}$/);
    expect((await nextMessageTo(journey.server, email)).subject).toContain(number);

    const seen = await seenMessages(journey.server, email);
    await page.getByRole('tab', { name: 'Check Ticket Status' }).click();
    await page.getByRole('textbox', { name: 'Ticket number' }).fill(number);
    await page.getByRole('textbox', { name: 'Email' }).fill(email);
    await page.getByRole('button', { name: 'Check Ticket Status', exact: true }).click();
    await page.getByText('If the ticket number and email match a ticket').waitFor();
    const link = await nextMessageTo(journey.server, email, seen);
    await page.goto(`${journey.server.url}${linkPathIn(link.text)}`);
    await page.getByText(`${number}: Calls drop after 30 seconds`).waitFor();
    await page.getByText('calls.log').waitFor();
    expect(await page.getByLabel('Ticket status').textContent()).toBe('Open');

    const staff = await setUpStaff(journey.server);
    const staffPage = await journey.freshPage();
    await staffPage.goto(`${journey.server.url}/staff`);
    await staffPage.getByLabel('Staff email').fill(staff.email);
    await staffPage.getByRole('textbox', { name: 'Password', exact: true }).fill(staffPassword);
    await staffPage.getByRole('button', { name: 'Continue', exact: true }).click();
    const laterStep = new Date(journey.server.clock.now().getTime() + 30_000);
    await staffPage
      .getByRole('textbox', { name: 'Authenticator code' })
      .fill(totpCodeAt(staff.secret, laterStep));
    await staffPage.getByRole('button', { name: 'Sign in', exact: true }).click();
    await staffPage.getByRole('tab', { name: 'Tickets' }).click();
    await staffPage.getByRole('button', { name: number, exact: true }).click();
    await staffPage.getByText('Every call to +44 ends at 30 s.').waitFor();
    const beforeAnswer = await seenMessages(journey.server, email);
    await staffPage
      .getByRole('textbox', { name: 'Answer' })
      .fill('The carrier ends calls at 30 s; we moved you to another route.');
    await staffPage.getByRole('button', { name: 'Send answer', exact: true }).click();
    await staffPage.getByText('we moved you to another route').waitFor();
    const answer = await nextMessageTo(journey.server, email, beforeAnswer);
    expect(answer.subject).toBe(`[${number}] New reply: Calls drop after 30 seconds`);

    // The customer checks again with a new link (each works once) and reads the answer.
    const beforeLink = await seenMessages(journey.server, email);
    await page.goto(`${journey.server.url}/support`);
    await page.getByRole('tab', { name: 'Check Ticket Status' }).click();
    await page.getByRole('textbox', { name: 'Ticket number' }).fill(number);
    await page.getByRole('textbox', { name: 'Email' }).fill(email);
    await page.getByRole('button', { name: 'Check Ticket Status', exact: true }).click();
    const second = await nextMessageTo(journey.server, email, beforeLink);
    await page.goto(`${journey.server.url}${linkPathIn(second.text)}`);
    await page.getByText('we moved you to another route').waitFor();
    expect(await page.getByLabel('Ticket status').textContent()).toBe('Waiting on customer');
  }, 120_000);
});
