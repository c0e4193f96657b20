import { describe, expect, it } from 'vitest';
import { apiAccount } from '../support/api-account.js';
import { later } from '../support/journeys.js';
import { browserJourneysSkipped } from './chromium.js';
import { browserJourney } from './journey.js';
import { bottomOf, linesOf } from './layout.js';
import { openFromMenu } from './sign-in.js';

describe.skipIf(browserJourneysSkipped())('Subaccounts and applications in a browser', () => {
  const journey = browserJourney();

  it('refuses to delete a subaccount that holds an application, naming it, then deletes it once it is released', async () => {
    // At 1366×800, as a first-time user saw the console: the Auth ID stays on one line, the
    // Applications table names the subaccount, and the URL method selects line up with the URLs.
    const owner = await apiAccount(journey.server);
    const page = await journey.signedInPage(owner);

    await openFromMenu(page, 'Subaccounts');
    await page.getByRole('button', { name: 'Create Subaccount' }).click();
    const create = page.getByRole('dialog', { name: 'Create Subaccount' });
    await create.getByRole('textbox', { name: 'Subaccount name' }).fill('Acme Retail');
    await create.getByRole('button', { name: 'Create', exact: true }).click();
    await create.waitFor({ state: 'hidden' });
    const subaccounts = page.getByRole('table', { name: 'Subaccounts' });
    const row = subaccounts.getByRole('row').filter({ hasText: 'Acme Retail' });
    await row.waitFor();
    const authId = (await row.getByRole('code').first().textContent()) ?? '';
    expect(authId).toMatch(/^SA[A-Z0-9]{18}$/);
    expect(await linesOf(row.getByRole('code').first())).toBe(1);
    expect(await row.getByRole('switch', { name: 'Acme Retail enabled' }).isChecked()).toBe(true);

    await openFromMenu(page, 'Applications');
    await page.getByRole('button', { name: 'Create Application' }).click();
    const application = page.getByRole('dialog', { name: 'Create Application' });
    for (const callback of ['Answer URL', 'Hangup URL', 'Fallback answer URL', 'Message URL']) {
      const method = application.getByRole('combobox', { name: `${callback} method`, exact: true });
      const url = application.getByRole('textbox', { name: callback, exact: true });
      // Polled: the dialog is still opening (its transition moves what is inside) when it first shows.
      await expect.poll(async () => (await bottomOf(method)) - (await bottomOf(url))).toBeCloseTo(0, 0);
    }
    await application.getByRole('textbox', { name: 'Application name' }).fill('Storefront IVR');
    await application
      .getByRole('textbox', { name: 'Answer URL', exact: true })
      .fill('https://example.com/answer');
    await application
      .getByRole('combobox', { name: 'Subaccount' })
      .selectOption({ label: `Acme Retail (${authId})` });
    await application.getByRole('button', { name: 'Create', exact: true }).click();
    await application.waitFor({ state: 'hidden' });
    const applications = page.getByRole('table', { name: 'Applications' });
    const appRow = applications.getByRole('row').filter({ hasText: 'Storefront IVR' });
    await appRow.getByRole('cell', { name: 'Acme Retail', exact: true }).waitFor();
    expect(await appRow.getByText(/^sip:\d+@/).count()).toBe(1);

    await openFromMenu(page, 'Subaccounts');
    await page.getByRole('button', { name: 'Actions for Acme Retail' }).click();
    await page.getByRole('menuitem', { name: 'Delete' }).click();
    const refusal = page.getByRole('dialog', { name: 'Delete Acme Retail?' });
    await refusal.getByRole('button', { name: 'Delete', exact: true }).click();
    await refusal.getByRole('alert').getByText('application Storefront IVR').waitFor();
    await refusal.getByRole('button', { name: 'Cancel' }).click();

    await openFromMenu(page, 'Applications');
    await page.getByRole('button', { name: 'Delete Storefront IVR' }).click();
    const deleteApp = page.getByRole('dialog', { name: 'Delete Storefront IVR?' });
    await deleteApp.getByRole('button', { name: 'Delete', exact: true }).click();
    await deleteApp.waitFor({ state: 'hidden' });
    await page.getByText('No applications yet.').waitFor();

    await openFromMenu(page, 'Subaccounts');
    await page.getByRole('button', { name: 'Actions for Acme Retail' }).click();
    await page.getByRole('menuitem', { name: 'Delete' }).click();
    const deletion = page.getByRole('dialog', { name: 'Delete Acme Retail?' });
    await deletion.getByRole('button', { name: 'Delete', exact: true }).click();
    await deletion.waitFor({ state: 'hidden' });
    await page.getByText('No subaccounts yet.').waitFor();
    expect((await owner.client.get('/api/subaccounts')).body.subaccounts).toEqual([]);
    await page.close();
  });

  it('rotates a subaccount token after confirming the password, showing it revealed on one line', async () => {
    const owner = await apiAccount(journey.server);
    await owner.client.post('/api/subaccounts', { name: 'Staging' });
    const page = await journey.signedInPage(owner);

    await later(journey.server, 11, async () => {
      await openFromMenu(page, 'Subaccounts');
      await page.getByRole('button', { name: 'Show Auth Token of Staging' }).click();
      const revealed = page.getByRole('row').filter({ hasText: 'Staging' }).getByRole('code').nth(1);
      const before = await revealed.textContent();
      expect(before).toMatch(/^[A-Za-z0-9]{40}$/);
      expect(await linesOf(revealed)).toBe(1);
      await page.getByRole('button', { name: 'Actions for Staging' }).click();
      await page.getByRole('menuitem', { name: 'Generate token' }).click();
      const dialog = page.getByRole('dialog', { name: 'Generate Auth Token for Staging' });
      await dialog.getByRole('radio', { name: 'Revoke the old token' }).check();
      await dialog.getByRole('button', { name: 'Generate', exact: true }).click();
      const reauthenticate = page.getByRole('dialog', { name: 'Confirm it is you' });
      await reauthenticate.getByRole('textbox', { name: 'Password', exact: true }).fill(owner.password);
      await reauthenticate.getByRole('button', { name: 'Confirm', exact: true }).click();
      const token = (await dialog.getByTestId('new-auth-token').textContent()) ?? '';
      expect(token).toMatch(/^[A-Za-z0-9]{40}$/);
      expect(token).not.toBe(before);
      await dialog.getByRole('button', { name: 'Done', exact: true }).click();
      await page.getByRole('row').filter({ hasText: 'Staging' }).getByText(token).waitFor();
    });
    await page.close();
  });

  it('keeps whitelisted sender IDs per subaccount, explaining a refused one', async () => {
    const owner = await apiAccount(journey.server);
    await owner.client.post('/api/subaccounts', { name: 'Notifications' });
    const page = await journey.signedInPage(owner);
    await openFromMenu(page, 'Subaccounts');
    await page.getByRole('button', { name: 'Actions for Notifications' }).click();
    await page.getByRole('menuitem', { name: 'Sender IDs' }).click();
    const dialog = page.getByRole('dialog', { name: 'Sender IDs of Notifications' });
    await dialog.getByText('No sender IDs yet.').waitFor();
    const field = dialog.getByRole('textbox', { name: 'Sender ID' });
    await field.fill('A!');
    await dialog.getByRole('button', { name: 'Add', exact: true }).click();
    await dialog
      .getByText(/3 to 11 letters, digits or spaces/)
      .first()
      .waitFor();
    await field.fill('ACME');
    await dialog.getByRole('button', { name: 'Add', exact: true }).click();
    await dialog.getByRole('cell', { name: 'ACME', exact: true }).waitFor();
    await field.fill('+1 415 555 2671');
    await dialog.getByRole('button', { name: 'Add', exact: true }).click();
    await dialog.getByRole('cell', { name: '+14155552671', exact: true }).waitFor();
    await dialog.getByRole('button', { name: 'Remove ACME' }).click();
    await dialog.getByRole('cell', { name: 'ACME', exact: true }).waitFor({ state: 'detached' });
    await page.close();
  });

  it('creates an endpoint linked to an application, showing the password policy’s reason first', async () => {
    const owner = await apiAccount(journey.server);
    await owner.client.post('/api/applications', { app_name: 'Desk phones' });
    const page = await journey.signedInPage(owner);

    await openFromMenu(page, 'Endpoints');
    await page.getByRole('button', { name: 'Create Endpoint' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create Endpoint' });
    await dialog.getByRole('textbox', { name: 'Username' }).fill('frontdesk');
    await dialog.getByRole('textbox', { name: 'Password', exact: true }).fill('short');
    await dialog.getByRole('textbox', { name: 'Alias' }).fill('Front desk');
    await dialog.getByRole('combobox', { name: 'Application' }).selectOption({ label: 'Desk phones' });
    await dialog.getByRole('button', { name: 'Create', exact: true }).click();
    await dialog.getByText(/Use at least \d+ characters/).waitFor();
    await dialog.getByRole('textbox', { name: 'Password', exact: true }).fill('Quartz-Meadow-Falcon-93');
    await dialog.getByRole('button', { name: 'Create', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });

    const row = page
      .getByRole('table', { name: 'Endpoints' })
      .getByRole('row')
      .filter({ hasText: 'Front desk' });
    await row.getByText('Desk phones').waitFor();
    expect(await row.getByText(/^sip:frontdesk\d+@/).count()).toBe(1);
    await page.close();
  });
});
