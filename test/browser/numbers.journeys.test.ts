import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { apiAccount, fundedAccount, holdForReview } from '../support/api-account.js';
import { freshUsNumber } from '../support/phone-numbers.js';
import type { TestServer } from '../support/server.js';
import { browserJourneysSkipped } from './chromium.js';
import { browserJourney } from './journey.js';
import { openFromMenu } from './sign-in.js';

/** A fresh number in the inventory, loaded the way staff load it. */
async function stockOne(server: TestServer) {
  const number = freshUsNumber();
  await server.system.numbers.load(
    { ip: 'test', userAgent: null },
    `number,country_iso,type,region,voice,sms,monthly_rental\n${number},US,local,"California, UNITED STATES",true,true,0.8\n`,
  );
  return number;
}

describe.skipIf(browserJourneysSkipped())('Phone numbers in a browser', () => {
  const journey = browserJourney();

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
    await page.getByRole('button', { name: `Actions for ${name}` }).click();
    await page.getByRole('menuitem', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog', { name: `Delete ${name}?` });
    await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
    return dialog;
  }

  it('rents a number into a subaccount, moves it, and deletes both subaccounts after clearing what they hold from the delete dialog', async () => {
    const owner = await fundedAccount(journey.server);
    const number = await stockOne(journey.server);
    const page = await journey.signedInPage(owner);

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
      .getByText('$0.80', { exact: true })
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
    // Refused, naming what is in the way; the dialog offers to clear it: move the application to the
    // other subaccount here, and the refusal goes once it no longer holds.
    const refusedRetail = await deleteFrom(page, 'Acme Retail');
    await refusedRetail.getByRole('alert').getByText('application Storefront IVR').waitFor();
    await refusedRetail
      .getByRole('combobox', { name: 'Move Storefront IVR to' })
      .selectOption({ label: 'Acme Wholesale' });
    await refusedRetail.getByRole('button', { name: 'Move Storefront IVR', exact: true }).click();
    await refusedRetail.getByRole('list', { name: 'Held by Acme Retail' }).waitFor({ state: 'detached' });
    await refusedRetail.getByRole('alert').waitFor({ state: 'detached' });
    await refusedRetail.getByRole('button', { name: 'Delete', exact: true }).click();
    await refusedRetail.waitFor({ state: 'hidden' });

    // Release asks first, saying what it does; kept, the number is moved to the main account instead,
    // and the application deleted after its own confirmation.
    const refusedWholesale = await deleteFrom(page, 'Acme Wholesale');
    await refusedWholesale.getByRole('alert').getByText(number).waitFor();
    await refusedWholesale.getByRole('alert').getByText('application Storefront IVR').waitFor();
    await refusedWholesale.getByRole('button', { name: `Release ${number}` }).click();
    const confirmRelease = refusedWholesale.getByRole('group', { name: `Release ${number}?` });
    await confirmRelease.getByText('goes back to the inventory, where anyone may rent it').waitFor();
    await confirmRelease.getByRole('button', { name: 'Keep it', exact: true }).click();
    await confirmRelease.waitFor({ state: 'detached' });
    expect((await owner.client.get('/api/numbers')).body.numbers).toHaveLength(1);
    await refusedWholesale.getByRole('button', { name: `Move ${number}`, exact: true }).click();
    await refusedWholesale
      .getByRole('button', { name: `Move ${number}`, exact: true })
      .waitFor({ state: 'detached' });
    await refusedWholesale.getByRole('button', { name: 'Delete Storefront IVR' }).click();
    await refusedWholesale
      .getByRole('group', { name: 'Delete Storefront IVR?' })
      .getByRole('button', { name: 'Delete', exact: true })
      .click();
    await refusedWholesale
      .getByRole('list', { name: 'Held by Acme Wholesale' })
      .waitFor({ state: 'detached' });
    await refusedWholesale.getByRole('alert').waitFor({ state: 'detached' });
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

  it('says before any click why an account under review cannot rent, with Rent disabled and the search open', async () => {
    const owner = await apiAccount(journey.server);
    const number = await stockOne(journey.server);
    await holdForReview(
      journey.server,
      owner.accountId,
      'business_information: Website domain differs from email domain',
    );
    const page = await journey.signedInPage(owner);

    await openFromMenu(page, 'Phone Numbers');
    await page.getByRole('button', { name: 'Buy number' }).click();
    const buy = page.getByRole('dialog', { name: 'Buy number' });
    await buy.getByText('it is under review (business information needs verification)').waitFor();
    await buy.getByRole('textbox', { name: 'Pattern' }).fill(number.slice(1));
    await buy.getByRole('button', { name: 'Search', exact: true }).click();
    const rent = buy.getByRole('button', { name: `Rent ${number}` });
    await rent.waitFor();
    expect(await rent.isDisabled()).toBe(true);
    expect(await rent.getAttribute('aria-describedby')).toBeTruthy();
    const reason = buy.locator(`#${await rent.getAttribute('aria-describedby')}`);
    expect(await reason.textContent()).toContain(
      'Renting is billable, so it opens once the account is active',
    );
    expect((await owner.client.get('/api/numbers')).body.numbers).toEqual([]);
    await page.close();
  });
});
