import { describe, expect, it } from 'vitest';
import { totpCodeAt } from '../../src/modules/identity/totp.js';
import { onboardedUser, setUpStaff, staffPassword } from '../support/journeys.js';
import { browserJourneysSkipped } from './chromium.js';
import { browserJourney } from './journey.js';
import { openFromMenu } from './sign-in.js';

describe.skipIf(browserJourneysSkipped())('credit and transactions in a browser', () => {
  const journey = browserJourney();

  it('staff adjust an account’s credit with a reason; the owner sees the balance at home, the adjustment in Billing > Transactions and the monthly invoice in Billing > Invoices', async () => {
    const owner = await onboardedUser(journey.server);
    const me = await owner.client.get('/api/me');
    const authId: string = me.body.account.authId;
    const staff = await setUpStaff(journey.server);

    const page = await journey.freshPage();
    await page.goto(`${journey.server.url}/staff`);
    await page.getByLabel('Staff email').fill(staff.email);
    await page.getByRole('textbox', { name: 'Password', exact: true }).fill(staffPassword);
    await page.getByRole('button', { name: 'Continue', exact: true }).click();
    const laterStep = new Date(journey.server.clock.now().getTime() + 30_000);
    await page.getByRole('textbox', { name: 'Authenticator code' }).fill(totpCodeAt(staff.secret, laterStep));
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('tab', { name: 'Accounts' }).click();
    await page.getByLabel('Find an account').fill(authId);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByRole('button', { name: 'Adjust credit', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('textbox', { name: 'Amount' }).fill('0');
    await dialog.getByRole('textbox', { name: 'Reason' }).fill('Goodwill after the outage');
    await dialog.getByRole('button', { name: 'Adjust credit', exact: true }).click();
    await dialog.getByText('must be a non-zero amount').waitFor();
    await dialog.getByRole('textbox', { name: 'Amount' }).fill('25.50');
    await dialog.getByRole('button', { name: 'Adjust credit', exact: true }).click();
    await dialog.getByText('Adjusted by $25.50. Balance now $25.50.').waitFor();

    const console = await journey.signedInPage(owner);
    const balance = console.getByLabel('Balance');
    await balance.waitFor();
    expect(await balance.textContent()).toBe('$25.50');
    await openFromMenu(console, 'Transactions');
    const table = console.getByRole('table', { name: 'Transactions' });
    await table.getByText('Goodwill after the outage').waitFor();
    expect(await table.getByRole('row').count()).toBe(2);
    const exportLink = console.getByRole('link', { name: 'Export CSV' });
    await console.getByLabel('Kind').selectOption('rental');
    await console.getByRole('button', { name: 'Apply', exact: true }).click();
    await console.getByText('No transactions match these filters.').waitFor();
    expect(await exportLink.getAttribute('href')).toBe('/api/billing/transactions.csv?kind=rental');

    // Billing > Invoices: before the first invoice it says when it comes; then it lists it to download.
    await openFromMenu(console, 'Invoices');
    await console.getByText(/^No invoices yet\. The invoice for .+ is issued after the month ends/).waitFor();
    const now = journey.server.clock.now();
    const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1))
      .toISOString()
      .slice(0, 10);
    const number = await journey.server.system.invoices.issue(me.body.account.id, lastMonth);
    await console.reload();
    const invoices = console.getByRole('table', { name: 'Invoices' });
    await invoices.getByText(number as string).waitFor();
    const link = invoices.getByRole('link', { name: `Download ${number} (PDF)` });
    const [download] = await Promise.all([console.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toBe(`${number}.pdf`);
  });
});
