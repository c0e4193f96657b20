import { describe, expect, it } from 'vitest';
import { totpCodeAt } from '../../src/modules/identity/totp.js';
import { onboardedUser, strongPassword } from '../support/journeys.js';
import { freshUsNumber } from '../support/phone-numbers.js';
import { browserJourneysSkipped } from './chromium.js';
import { browserJourney } from './journey.js';
import { linkPathIn, nextMessageTo, seenMessages } from './outbox.js';

describe.skipIf(browserJourneysSkipped())('the staff console in a browser', () => {
  const journey = browserJourney();

  it('sets up a staff member from the link, signs in with the app, approves a held account, opens its page and credits it, loads numbers, removes an unrented one, retries a failed job and points a Kamailio engine’s disconnects at its JSON-RPC', async () => {
    const { client, email: ownerEmail } = await onboardedUser(journey.server, { businessProfile: false });
    const held = await client.post('/api/onboarding/business-profile', {
      companyName: 'Globex Industries',
      website: 'https://globex-industries.com',
      country: 'US',
      intendedUse: 'Appointment reminders by SMS',
    });
    expect(held.body.account.status).toBe('under_review');
    const second = await onboardedUser(journey.server, { businessProfile: false });
    const secondHeld = await second.client.post('/api/onboarding/business-profile', {
      companyName: 'Initech Systems',
      website: 'https://initech-systems.com',
      country: 'US',
      intendedUse: 'Call tracking',
    });
    expect(secondHeld.body.account.status).toBe('under_review');

    const staffEmail = `rita.${Date.now()}@operator.example`;
    await journey.server.system.staff.create({ email: staffEmail, name: 'Rita Reviewer', role: 'agent' });
    const setupMessage = await nextMessageTo(journey.server, staffEmail);
    const page = await journey.newPage();

    await page.goto(`${journey.server.url}${linkPathIn(setupMessage.text)}`);
    await page.getByText('Welcome, Rita Reviewer').waitFor();
    const secret = (await page.getByTestId('totp-secret').textContent())?.trim() ?? '';
    await page.getByRole('textbox', { name: 'Choose a password', exact: true }).fill(strongPassword);
    await page
      .getByRole('textbox', { name: 'Code from the app' })
      .fill(totpCodeAt(secret, journey.server.clock.now()));
    await page.getByRole('button', { name: 'Finish setup', exact: true }).click();
    await page.getByRole('link', { name: 'Go to staff sign-in' }).click();

    await page.getByLabel('Staff email').fill(staffEmail);
    await page.getByRole('textbox', { name: 'Password', exact: true }).fill(strongPassword);
    await page.getByRole('button', { name: 'Continue', exact: true }).click();
    const laterStep = new Date(journey.server.clock.now().getTime() + 30_000);
    await page.getByRole('textbox', { name: 'Authenticator code' }).fill(totpCodeAt(secret, laterStep));
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();

    await page.getByRole('heading', { name: 'Activation review' }).waitFor();
    const seen = await seenMessages(journey.server, ownerEmail);
    await page.getByText('Globex Industries').waitFor();
    await page
      .getByRole('region', { name: 'Globex Industries' })
      .getByRole('button', { name: 'Review', exact: true })
      .click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Note').fill('Website belongs to the same company.');
    await dialog.getByRole('button', { name: 'Approve', exact: true }).click();
    await page.getByText('was approved').waitFor();
    expect((await nextMessageTo(journey.server, ownerEmail, seen)).subject).toBe('Your account is active');

    // The account's page: found by its company name, its members and balance, credit adjusted from its header.
    await page.getByRole('tab', { name: 'Accounts' }).click();
    await page.getByLabel('Find an account').fill('globex');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByRole('link', { name: 'Globex Industries' }).click();
    await page.getByRole('heading', { name: 'Globex Industries' }).waitFor();
    const members = page.getByRole('table', { name: 'Members' });
    await members.getByText(ownerEmail).waitFor();
    expect(await members.getByRole('row').nth(1).textContent()).toContain('owner');
    await page.getByText('under review → active').waitFor();
    expect(await page.getByTestId('account-balance').textContent()).toContain('0.00');
    await page.getByRole('button', { name: 'Adjust credit', exact: true }).click();
    const credit = page.getByRole('dialog');
    await credit.getByLabel('Amount').fill('25');
    await credit.getByLabel('Reason').fill('Welcome credit after review');
    await credit.getByRole('button', { name: 'Adjust credit', exact: true }).click();
    await credit.getByRole('status').waitFor();
    await credit.getByRole('button', { name: 'Close', exact: true }).click();
    await page
      .getByTestId('account-balance')
      .getByText(/25\.00/)
      .waitFor();
    await page
      .getByRole('table', { name: 'Ledger entries' })
      .getByText('Welcome credit after review')
      .waitFor();
    await page.getByRole('link', { name: '← Staff console' }).click();
    // Back at the search, as it was left.
    await page.getByRole('table', { name: 'Accounts found' }).getByText('Globex Industries').waitFor();

    // A held account is approved from its own page too.
    await page.getByLabel('Find an account').fill('initech');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByRole('link', { name: 'Initech Systems' }).click();
    await page.getByRole('button', { name: 'Approve or reject', exact: true }).click();
    const review = page.getByRole('dialog');
    await review.getByLabel('Note').fill('Call tracking for its own clinics.');
    await review.getByRole('button', { name: 'Approve', exact: true }).click();
    await page.getByText('under review → active').waitFor();
    await page.getByRole('link', { name: '← Staff console' }).click();

    await page.getByRole('tab', { name: 'Number inventory' }).click();
    // The help names monthly_rental among the required columns, as the server requires it.
    const help = (await page.getByText('Columns: number, country_iso').textContent()) ?? '';
    expect(help.indexOf('monthly_rental')).toBeLessThan(help.indexOf('optionally'));
    const number = freshUsNumber();
    const inventory = page.getByRole('textbox', { name: 'Numbers (CSV)' });
    await inventory.fill(
      `number,country_iso,type,region,voice,sms,monthly_rental\n${number},US,local,"California, UNITED STATES",true,true,0.8\n4420555,GB,local,London,true,false,1.0`,
    );
    await page.getByRole('button', { name: 'Add to inventory' }).click();
    await page.getByText('line 3: 4420555 is not a valid GB number').waitFor();
    await inventory.fill(
      `number,country_iso,type,region,voice,sms,monthly_rental\n${number},US,local,"California, UNITED STATES",true,maybe,0.8`,
    );
    await page.getByRole('button', { name: 'Add to inventory' }).click();
    await page.getByText('Nothing was added').waitFor();
    await page.getByText(/line 2/).waitFor();
    await inventory.fill(
      `number,country_iso,type,region,voice,sms,monthly_rental\n${number},US,local,"California, UNITED STATES",true,true,0.8`,
    );
    await page.getByRole('button', { name: 'Add to inventory' }).click();
    await page.getByText('1 numbers are now in the inventory.').waitFor();
    const available = await journey.server.system.numbers.search(
      { country_iso: 'US', pattern: number.slice(1) },
      20,
      0,
    );
    expect(available.rows.map((row) => row.number)).toEqual([number]);

    // The inventory above the loader: unrented numbers, this one found by its digits and removed after a confirmation.
    await page
      .locator('label')
      .filter({ hasText: /^Unrented$/ })
      .click();
    await page.getByRole('textbox', { name: 'Search', exact: true }).fill(number);
    const table = page.getByRole('table', { name: 'Number inventory' });
    await table.getByText(`+${number}`).waitFor();
    await table.getByRole('button', { name: `Remove +${number}` }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove', exact: true }).click();
    await page.getByText('No numbers match.').waitFor();
    const searched = await journey.server.system.numbers.search(
      { country_iso: 'US', pattern: number.slice(1) },
      20,
      0,
    );
    expect(searched.rows).toEqual([]);

    // A job that used its last attempt (the outbox purge: harmless to run again), as the runner leaves one.
    await journey.server.system.database.db
      .insertInto('jobs')
      .values({
        name: 'outbox.purge',
        key: 'browser-journey',
        payload: '{}',
        state: 'failed',
        attempts: 5,
        max_attempts: 5,
        last_error: 'could not reach the database',
        finished_at: journey.server.clock.now(),
      })
      .execute();
    await page.getByRole('tab', { name: 'Jobs' }).click();
    await page.getByRole('table', { name: 'Jobs by state' }).getByText('outbox.deliver').waitFor();
    const failed = page.getByRole('table', { name: 'Failed jobs' });
    await failed.getByText('could not reach the database').waitFor();
    await failed.getByRole('button', { name: /^Retry job/ }).click();
    await page.getByText('No job has failed.').waitFor();

    // Engines: a Kamailio is created and told where its JSON-RPC listens, for disconnects.
    await page.getByRole('tab', { name: 'Engines' }).click();
    const engineName = `sbc${Date.now()}`;
    await page.getByRole('textbox', { name: 'Engine name' }).fill(engineName);
    await page.getByRole('button', { name: 'Create engine' }).click();
    await page.getByText(`Engine ${engineName} created: copy its key now`).waitFor();
    const engineRow = page
      .getByRole('table', { name: 'Engines' })
      .getByRole('row', { name: new RegExp(engineName) });
    await engineRow.getByText('Not set: bounded by max_seconds only').waitFor();
    await engineRow.getByRole('button', { name: 'Set' }).click();
    const disconnects = page.getByRole('dialog', { name: `Disconnects for ${engineName}` });
    await disconnects.getByLabel('How').click();
    await page.getByRole('option', { name: /Kamailio JSON-RPC/ }).click();
    await disconnects.getByRole('textbox', { name: 'URL' }).fill('http://127.0.0.1:5065/RPC');
    await disconnects.getByRole('button', { name: 'Save' }).click();
    await disconnects.getByText('Saved: copy the signing secret now').waitFor();
    await disconnects.getByRole('button', { name: 'Done' }).click();
    await engineRow.getByText('Kamailio JSON-RPC').waitFor();
    await engineRow.getByText('http://127.0.0.1:5065/RPC').waitFor();
    const engine = await journey.server.system.database.db
      .selectFrom('engines')
      .select(['disconnect_url', 'disconnect_protocol'])
      .where('name', '=', engineName)
      .executeTakeFirstOrThrow();
    expect(engine).toEqual({
      disconnect_url: 'http://127.0.0.1:5065/RPC',
      disconnect_protocol: 'kamailio-jsonrpc',
    });

    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.getByRole('heading', { name: 'Staff sign-in' }).waitFor();
    await page.close();
  });
});
