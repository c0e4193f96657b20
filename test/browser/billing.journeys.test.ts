import { describe, expect, it } from 'vitest';
import { totpCodeAt } from '../../src/modules/identity/totp.js';
import { onboardedUser, setUpStaff, staffPassword } from '../support/journeys.js';
import { browserJourneysSkipped } from './chromium.js';
import { browserJourney } from './journey.js';
import { openFromMenu } from './sign-in.js';

describe.skipIf(browserJourneysSkipped())('credit and transactions in a browser', () => {
  // The staff console in a browser of its own: a customer's sign-in clears the other's cookies.
  const journey = browserJourney({ browsers: 2 });

  /** A staff member signed in on the staff console's Accounts tab, the account found by its Auth ID. */
  async function staffAccountsPage(staff: { email: string; secret: string }, authId: string) {
    await journey.clearCookies(1);
    const page = await journey.newPage(1);
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
    return page;
  }

  it('staff adjust an account’s credit with a reason; the owner sees the balance at home, the adjustment in Billing > Transactions and the monthly invoice in Billing > Invoices', async () => {
    const owner = await onboardedUser(journey.server);
    const me = await owner.client.get('/api/me');
    const authId: string = me.body.account.authId;
    const staff = await setUpStaff(journey.server);

    const page = await staffAccountsPage(staff, authId);
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

  it('staff suspend an account; its owner sees the notice and requests reinstatement; staff reinstate and the console returns', async () => {
    const owner = await onboardedUser(journey.server);
    const authId: string = (await owner.client.get('/api/me')).body.account.authId;
    const staffPage = await staffAccountsPage(await setUpStaff(journey.server), authId);
    await staffPage.getByRole('button', { name: 'Suspend', exact: true }).click();
    const suspend = staffPage.getByRole('dialog', { name: /^Suspend / });
    await suspend.getByRole('combobox', { name: 'Reason' }).selectOption({ label: 'Compliance issue' });
    await suspend.getByRole('button', { name: 'Suspend', exact: true }).click();
    await suspend.getByText('Write the details the account’s members will read').waitFor();
    await suspend
      .getByRole('textbox', { name: 'Details for the customer' })
      .fill('Send the registration certificate of your company.');
    await suspend.getByRole('button', { name: 'Suspend', exact: true }).click();
    await suspend.waitFor({ state: 'hidden' });

    const page = await journey.signedInPage(owner);
    await page.getByRole('heading', { name: 'Your account is suspended' }).waitFor();
    await page.getByText('Send the registration certificate of your company.').waitFor();
    await page
      .getByRole('textbox', { name: 'Request reinstatement' })
      .fill('Certificate sent to compliance@.');
    await page.getByRole('button', { name: 'Request reinstatement', exact: true }).click();
    await page.getByRole('status').getByText('Reinstatement requested').waitFor();

    await staffPage.getByRole('button', { name: 'Search', exact: true }).click();
    await staffPage.getByRole('button', { name: 'Reinstate', exact: true }).click();
    const reinstate = staffPage.getByRole('dialog', { name: /^Reinstate / });
    await reinstate.getByRole('textbox', { name: 'Note' }).fill('Certificate checked.');
    await reinstate.getByRole('button', { name: 'Reinstate', exact: true }).click();
    await reinstate.waitFor({ state: 'hidden' });

    await page.reload();
    await page.getByRole('navigation', { name: 'Console menu' }).waitFor();
    expect(await page.getByRole('heading', { name: 'Your account is suspended' }).count()).toBe(0);
  });
});
