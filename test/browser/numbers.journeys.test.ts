import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAccount } from '../support/api-account.js';
import { freshUsNumber } from '../support/phone-numbers.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { browserJourneysSkipped, ensureConsoleBuilt, openBrowser } from './chromium.js';
import { openFromMenu, signInWithPhoneCode } from './sign-in.js';

let server: TestServer;
let browser: { context: BrowserContext; close: () => Promise<void> };

/** A fresh number in the inventory, loaded the way staff load it. */
async function stockOne() {
  const number = freshUsNumber();
  await server.system.numbers.load(
    { ip: 'test', userAgent: null },
    `number,country_iso,type,region,voice,sms,monthly_rental\n${number},US,local,"California, UNITED STATES",true,true,0.8\n`,
  );
  return number;
}

describe.skipIf(browserJourneysSkipped())('Phone numbers in a browser', () => {
  beforeAll(async () => {
    ensureConsoleBuilt();
    server = await startTestServer();
    browser = await openBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** Creates a subaccount on the Subaccounts page; its Auth ID as the table shows it. */
  async function createSubaccount(page: Page, name: string) {
    await openFromMenu(page, 'Subaccounts');
    await page.getByRole('button', { name: 'Create Subaccount' }).click();
    const create = page.getByRole('dialog', { name: 'Create Subaccount' });
    await create.getByRole('textbox', { name: 'Subaccount name' }).fill(name);
    await create.getByRole('button', { name: 'Create', exact: true }).click();
    await create.waitFor({ state: 'hidden' });
    const row = page.getByRole('table', { name: 'Subaccounts' }).getByRole('row').filter({ hasText: name });
    return (await row.getByRole('code').first().textContent()) ?? '';
  }

  async function deleteFrom(page: Page, name: string) {
    await page.getByRole('button', { name: `Delete ${name}` }).click();
    const dialog = page.getByRole('dialog', { name: `Delete ${name}?` });
    await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
    return dialog;
  }

  it('rents a number into a subaccount, moves it, and deletes both subaccounts after clearing what they hold from the delete dialog', async () => {
    const owner = await apiAccount(server);
    const number = await stockOne();
    await browser.context.clearCookies();
    const page = await browser.context.newPage();
    page.setDefaultTimeout(15_000);
    await signInWithPhoneCode(page, server, owner);

    const retail = await createSubaccount(page, 'Acme Retail');
    expect(retail).toMatch(/^SA[A-Z0-9]{18}$/);

    await openFromMenu(page, 'Phone Numbers');
    await page.getByText('No phone numbers yet.').waitFor();
    await page.getByRole('button', { name: 'Buy number' }).click();
    const buy = page.getByRole('dialog', { name: 'Buy number' });
    await buy.getByRole('combobox', { name: 'Type' }).selectOption({ label: 'Local' });
    await buy.getByRole('textbox', { name: 'Pattern' }).fill(number.slice(1));
    await buy.getByRole('button', { name: 'Search', exact: true }).click();
    const found = buy.getByRole('table', { name: 'Available numbers' }).getByRole('row');
    await found
      .filter({ hasText: `+${number}` })
      .getByText('$0.80')
      .waitFor();
    await buy
      .getByRole('combobox', { name: 'Into subaccount' })
      .selectOption({ label: `Acme Retail (${retail})` });
    await buy.getByRole('button', { name: `Rent ${number}` }).click();
    await buy.waitFor({ state: 'hidden' });
    const row = page
      .getByRole('table', { name: 'Phone numbers' })
      .getByRole('row')
      .filter({ hasText: number });
    await row.getByRole('cell', { name: 'Acme Retail', exact: true }).waitFor();

    await page.getByRole('button', { name: `Edit alias ${number}` }).click();
    const alias = page.getByRole('dialog', { name: `Edit alias of ${number}` });
    await alias.getByRole('textbox', { name: 'Alias' }).fill('Storefront line');
    await alias.getByRole('button', { name: 'Save', exact: true }).click();
    await alias.waitFor({ state: 'hidden' });
    await row.getByRole('cell', { name: 'Storefront line', exact: true }).waitFor();

    const wholesale = await createSubaccount(page, 'Acme Wholesale');
    await openFromMenu(page, 'Phone Numbers');
    await page.getByRole('button', { name: `Move ${number}` }).click();
    const move = page.getByRole('dialog', { name: `Move ${number}` });
    await move
      .getByRole('combobox', { name: 'Move to' })
      .selectOption({ label: `Acme Wholesale (${wholesale})` });
    await move.getByRole('button', { name: 'Move', exact: true }).click();
    await move.waitFor({ state: 'hidden' });
    await row.getByRole('cell', { name: 'Acme Wholesale', exact: true }).waitFor();

    await openFromMenu(page, 'Applications');
    await page.getByRole('button', { name: 'Create Application' }).click();
    const application = page.getByRole('dialog', { name: 'Create Application' });
    await application.getByRole('textbox', { name: 'Application name' }).fill('Storefront IVR');
    await application
      .getByRole('textbox', { name: 'Answer URL', exact: true })
      .fill('https://example.com/answer');
    await application
      .getByRole('combobox', { name: 'Subaccount' })
      .selectOption({ label: `Acme Retail (${retail})` });
    await application.getByRole('button', { name: 'Create', exact: true }).click();
    await application.waitFor({ state: 'hidden' });

    await openFromMenu(page, 'Subaccounts');
    // Refused, naming what is in the way; the dialog offers to clear it: delete the application here.
    const refusedRetail = await deleteFrom(page, 'Acme Retail');
    await refusedRetail.getByRole('alert').getByText('application Storefront IVR').waitFor();
    await refusedRetail.getByRole('button', { name: 'Delete Storefront IVR' }).click();
    await refusedRetail.getByRole('list', { name: 'Held by Acme Retail' }).waitFor({ state: 'detached' });
    await refusedRetail.getByRole('button', { name: 'Delete', exact: true }).click();
    await refusedRetail.waitFor({ state: 'hidden' });

    // ... and move the number to the main account here.
    const refusedWholesale = await deleteFrom(page, 'Acme Wholesale');
    await refusedWholesale.getByRole('alert').getByText(number).waitFor();
    await refusedWholesale.getByRole('button', { name: `Move ${number} to the main account` }).click();
    await refusedWholesale
      .getByRole('list', { name: 'Held by Acme Wholesale' })
      .waitFor({ state: 'detached' });
    await refusedWholesale.getByRole('button', { name: 'Delete', exact: true }).click();
    await refusedWholesale.waitFor({ state: 'hidden' });
    await page.getByText('No subaccounts yet.').waitFor();

    await openFromMenu(page, 'Applications');
    await page.getByText('No applications yet.').waitFor();
    await openFromMenu(page, 'Phone Numbers');
    await row.getByRole('cell', { name: 'Main account', exact: true }).waitFor();
    await page.getByRole('button', { name: `Release ${number}` }).click();
    const release = page.getByRole('dialog', { name: `Release ${number}?` });
    await release.getByRole('button', { name: 'Release', exact: true }).click();
    await release.waitFor({ state: 'hidden' });
    await page.getByText('No phone numbers yet.').waitFor();
    expect((await owner.client.get('/api/numbers')).body.numbers).toEqual([]);
    await page.close();
  });

  it('shows why a number cannot be rented while the account is under review, keeping the search open', async () => {
    const owner = await apiAccount(server);
    const number = await stockOne();
    await browser.context.clearCookies();
    const page = await browser.context.newPage();
    page.setDefaultTimeout(15_000);
    await signInWithPhoneCode(page, server, owner);
    await server.system.accounts.store.update(owner.accountId, { status: 'under_review' });

    await openFromMenu(page, 'Phone Numbers');
    await page.getByRole('button', { name: 'Buy number' }).click();
    const buy = page.getByRole('dialog', { name: 'Buy number' });
    await buy.getByRole('textbox', { name: 'Pattern' }).fill(number.slice(1));
    await buy.getByRole('button', { name: 'Search', exact: true }).click();
    await buy.getByRole('button', { name: `Rent ${number}` }).click();
    await buy.getByRole('alert').getByText('the account must be active first').waitFor();
    expect(await buy.getByRole('button', { name: `Rent ${number}` }).isVisible()).toBe(true);
    expect((await owner.client.get('/api/numbers')).body.numbers).toEqual([]);
    await page.close();
  });
});
