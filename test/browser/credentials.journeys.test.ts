import { describe, expect, it } from 'vitest';
import { apiAccount, v1 } from '../support/api-account.js';
import { later } from '../support/journeys.js';
import { browserJourneysSkipped } from './chromium.js';
import { browserJourney } from './journey.js';
import { linesOf } from './layout.js';
import { openFromMenu } from './sign-in.js';

describe.skipIf(browserJourneysSkipped())('API credentials and IP whitelisting in a browser', () => {
  const journey = browserJourney();

  it('reveals the Auth Token, generates a new one revoking the old, and the API refuses the old token', async () => {
    // What the page says agrees with what it offers: the only live token offers no Revoke and says
    // why; the warning that integrations stop working comes with revoking only; the new token is
    // the one shown above, not "shown once".
    const owner = await apiAccount(journey.server);
    const page = await journey.signedInPage(owner);
    await openFromMenu(page, 'Credentials');

    expect(await page.getByTestId('auth-id').textContent()).toBe(owner.authId);
    const shown = page.getByTestId('auth-token');
    expect(await shown.textContent()).toMatch(/^•+$/);
    await page.getByRole('button', { name: 'Show Auth Token' }).click();
    await expect.poll(() => shown.textContent()).toMatch(/^[A-Za-z0-9]{40}$/);
    const oldToken = (await shown.textContent()) ?? '';
    expect(oldToken).toBe(owner.authToken);
    expect(await linesOf(shown)).toBe(1);

    const tokens = page.getByRole('table', { name: 'Live Auth Tokens' });
    await page.getByText('This is the only live token, so it cannot be revoked').waitFor();
    expect(await tokens.getByRole('button', { name: /^Revoke/ }).count()).toBe(0);

    await page.getByRole('button', { name: 'Generate Auth Token' }).click();
    const dialog = page.getByRole('dialog', { name: 'Generate Auth Token' });
    const warning = dialog.getByText('Integrations using the old token stop working at once.');
    await dialog.getByRole('radio', { name: 'Keep the old token' }).check();
    await dialog.getByText('It keeps working until you revoke it under Live Auth Tokens').waitFor();
    expect(await warning.count()).toBe(0);
    await dialog.getByRole('radio', { name: 'Revoke the old token' }).check();
    await warning.waitFor();
    await dialog.getByRole('button', { name: 'Generate', exact: true }).click();
    await dialog.getByText('It is now the Auth Token shown above').waitFor();
    const newToken = (await dialog.getByTestId('new-auth-token').textContent()) ?? '';
    expect(newToken).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(newToken).not.toBe(oldToken);
    await dialog.getByRole('button', { name: 'Done', exact: true }).click();

    await tokens.getByText(`…${newToken.slice(-4)}`).waitFor();
    expect(await tokens.getByRole('row').count()).toBe(2);
    expect(await tokens.getByRole('button', { name: /^Revoke/ }).count()).toBe(0);

    const account = `/Account/${owner.authId}/`;
    await expect
      .poll(
        async () =>
          (await v1(journey.server, { authId: owner.authId, authToken: oldToken }, 'GET', account)).status,
      )
      .toBe(401);
    expect(
      (await v1(journey.server, { authId: owner.authId, authToken: newToken }, 'GET', account)).status,
    ).toBe(200);
    await page.close();
  });

  it('creates a restricted API key that reads usage and prices only, shows its secret once, and revokes it', async () => {
    const owner = await apiAccount(journey.server);
    const page = await journey.signedInPage(owner);
    await openFromMenu(page, 'Credentials');
    await page.getByText('No API keys yet.').waitFor();

    await page.getByRole('button', { name: 'Create API key' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create API key' });
    await dialog.getByRole('textbox', { name: 'Name' }).fill('Reports');
    await dialog.getByRole('checkbox', { name: 'Usage: read' }).check();
    await dialog.getByRole('checkbox', { name: 'Pricing: read' }).check();
    await dialog.getByRole('textbox', { name: 'Source addresses (optional)' }).fill('300.0.0.1');
    await dialog.getByRole('button', { name: 'Create key' }).click();
    await dialog.getByText('"300.0.0.1" is not a valid IP address').waitFor();
    await dialog.getByRole('textbox', { name: 'Source addresses (optional)' }).fill('127.0.0.1');
    await dialog.getByRole('button', { name: 'Create key' }).click();
    await dialog.getByText('Copy the secret now: it is not shown again.').waitFor();
    const keyId = (await dialog.getByTestId('new-api-key-id').textContent()) ?? '';
    expect(keyId).toMatch(/^SK[A-Z0-9]{18}$/);
    await dialog.getByRole('button', { name: 'Show Secret' }).click();
    const secretShown = dialog.getByTestId('new-api-key-secret');
    await expect.poll(() => secretShown.textContent()).toMatch(/^[A-Za-z0-9]{40}$/);
    const secret = (await secretShown.textContent()) ?? '';
    await dialog.getByRole('button', { name: 'Done', exact: true }).click();

    const keys = page.getByRole('table', { name: 'API Keys' });
    const row = keys.getByRole('row', { name: /Reports/ });
    await row.getByText('Usage: read · Pricing: read').waitFor();
    await row.getByText('From 127.0.0.1/32').waitFor();
    expect(await page.getByText(secret).count()).toBe(0);

    const key = { authId: keyId, authToken: secret };
    const base = `/Account/${owner.authId}`;
    expect((await v1(journey.server, key, 'GET', `${base}/Usage/`)).status).not.toBe(403);
    const refused = await v1(journey.server, key, 'GET', `${base}/Application/`);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toContain('lacks the permission Application:read');

    await row.getByRole('button', { name: 'Revoke the API key Reports' }).click();
    const confirm = page.getByRole('dialog', { name: 'Revoke this API key?' });
    await confirm.getByRole('button', { name: 'Revoke', exact: true }).click();
    await row.getByText('revoked').waitFor();
    expect((await v1(journey.server, key, 'GET', `${base}/Usage/`)).status).toBe(401);
    await page.close();
  });

  it('asks to confirm a lockout before enabling a whitelist that leaves out the browser', async () => {
    const owner = await apiAccount(journey.server);
    const page = await journey.signedInPage(owner);

    await later(journey.server, 11, async () => {
      await openFromMenu(page, 'IP Whitelisting');
      expect(await page.getByTestId('your-address').textContent()).toBe('127.0.0.1');

      const cidr = page.getByRole('textbox', { name: 'CIDR address' });
      await cidr.fill('192.0.2.300/24');
      await page.getByRole('button', { name: '+ Add CIDR Address' }).click();
      const reauthenticate = page.getByRole('dialog', { name: 'Confirm it is you' });
      await reauthenticate.getByRole('textbox', { name: 'Password', exact: true }).fill(owner.password);
      await reauthenticate.getByRole('button', { name: 'Confirm', exact: true }).click();
      await page.getByText('Use CIDR form such as 192.0.2.0/24').waitFor();

      await cidr.fill('192.0.2.0/24');
      await page.getByRole('button', { name: '+ Add CIDR Address' }).click();
      await page.getByRole('table', { name: 'Whitelisted addresses' }).getByText('192.0.2.0/24').waitFor();

      const enforce = page.getByRole('switch', { name: 'Enforce IP whitelisting' });
      expect(await enforce.isChecked()).toBe(false);
      await enforce.click({ force: true });
      const lockout = page.getByRole('dialog', { name: 'Enable IP whitelisting?' });
      await lockout.getByText('Your current address 127.0.0.1 is not in the list').waitFor();
      await lockout.getByRole('button', { name: 'Enable anyway' }).click();
      await lockout.waitFor({ state: 'hidden' });
      await expect.poll(() => enforce.isChecked()).toBe(true);
    });

    const account = `/Account/${owner.authId}/`;
    await expect.poll(async () => (await v1(journey.server, owner, 'GET', account)).status).toBe(403);
    expect((await v1(journey.server, owner, 'GET', account, { ip: '192.0.2.7' })).status).toBe(200);
    await page.close();
  });

  it('shows a subaccount’s own API requests in Logs > API, filters by subaccount, and lists failed sign-ins to the API', async () => {
    const owner = await apiAccount(journey.server);
    const created = await v1(journey.server, owner, 'POST', `/Account/${owner.authId}/Subaccount/`, {
      body: { name: 'Branch office', enabled: true },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const branch = { authId: created.body.auth_id as string, authToken: created.body.auth_token as string };
    expect((await v1(journey.server, branch, 'GET', `/Account/${branch.authId}/`)).status).toBe(200);
    const wrong = { authId: branch.authId, authToken: 'W'.repeat(40) };
    for (let attempt = 0; attempt < 3; attempt++) {
      expect(
        (await v1(journey.server, wrong, 'GET', `/Account/${branch.authId}/`, { ip: '192.0.2.77' })).status,
      ).toBe(401);
    }

    const page = await journey.signedInPage(owner);
    await openFromMenu(page, 'API');
    const requests = page.getByRole('table', { name: 'API requests' });
    const failed = page.getByRole('table', { name: 'Failed sign-ins to the API' });
    // The request log and the failed sign-ins are written about once a second: reload until both are shown.
    await expect
      .poll(
        async () => {
          await page.reload();
          // Each section has answered once it shows its table or says it has nothing.
          await requests.or(page.getByText('No API requests match these filters.')).waitFor();
          await failed.or(page.getByText('No failed sign-ins to the API in the last 30 days.')).waitFor();
          return (await requests.getByText(branch.authId).count()) > 0 && (await failed.count()) > 0;
        },
        { timeout: 20_000, interval: 500 },
      )
      .toBe(true);
    const failure = failed.getByRole('row').filter({ hasText: '192.0.2.77' });
    expect(await failure.getByRole('cell').nth(0).textContent()).toContain(branch.authId);
    expect(await failure.getByRole('cell').nth(2).textContent()).toBe('3');

    const filters = page.getByRole('form', { name: 'Filter API requests' });
    await filters.getByLabel('Subaccount').selectOption(branch.authId);
    await filters.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => requests.getByRole('row').filter({ hasText: 'Main account' }).count()).toBe(0);
    expect(await requests.getByText(branch.authId).count()).toBeGreaterThan(0);
    await page.close();
  });
});
