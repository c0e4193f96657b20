import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAccount, holdForReview, v1 } from '../support/api-account.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * Mass assignment: a request body's fields beyond what a route documents never reach a column.
 * The attacks an attack run found, each against the route it used.
 */
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

const accountRow = (id: string) => server.system.accounts.store.byId(id);
const applicationRow = (appId: string) =>
  server.system.database.db
    .selectFrom('applications')
    .selectAll()
    .where('app_id', '=', appId)
    .executeTakeFirstOrThrow();

/** An active account whose status staff then hold for review (as an activation rule would). */
async function heldAccount() {
  const account = await apiAccount(server);
  await holdForReview(server, account.accountId);
  return account;
}

describe('POST /v1/Account/{auth_id}/ with fields it does not document', () => {
  it('keeps an account under review under review when the body says status "active"', async () => {
    const account = await heldAccount();
    const before = await accountRow(account.accountId);
    const answer = await v1(server, account, 'POST', `/Account/${account.authId}/`, {
      body: { city: 'Pune', status: 'active', activated_at: '2020-01-01T00:00:00Z' },
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const row = await accountRow(account.accountId);
    expect(row?.status).toBe('under_review');
    expect(row?.activated_at).toEqual(before?.activated_at);
    expect(row?.city).toBe('Pune');
  });

  it('leaves IP whitelisting as the Owner set it when the body says ip_whitelist_enabled', async () => {
    const account = await apiAccount(server);
    const owner = account.client;
    expect((await owner.post('/api/ip-whitelist', { cidr: '127.0.0.1/32' })).status).toBe(201);
    const enabled = await owner.put('/api/ip-whitelist/enabled', { enabled: true, confirmLockout: true });
    expect(enabled.status, JSON.stringify(enabled.body)).toBe(204);
    const answer = await v1(server, account, 'POST', `/Account/${account.authId}/`, {
      body: { name: 'Acme', ip_whitelist_enabled: 'false' },
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect((await accountRow(account.accountId))?.ip_whitelist_enabled).toBe(true);
  });

  it('keeps a subaccount under its own main account when the body names another parent_account_id', async () => {
    const account = await apiAccount(server);
    const other = await apiAccount(server);
    const created = await v1(server, account, 'POST', `/Account/${account.authId}/Subaccount/`, {
      body: { name: 'Branch', enabled: true },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const subaccount = { authId: created.body.auth_id, authToken: created.body.auth_token };
    const answer = await v1(server, subaccount, 'POST', `/Account/${subaccount.authId}/`, {
      body: { name: 'Branch', parent_account_id: other.accountId, auth_id: 'MATAKENOVER00000000' },
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const row = await server.system.database.db
      .selectFrom('accounts')
      .selectAll()
      .where('auth_id', '=', subaccount.authId)
      .executeTakeFirstOrThrow();
    expect(row.parent_account_id).toBe(account.accountId);
    expect(row.auth_id).toBe(subaccount.authId);
  });
});

describe('Application create and update with fields they do not document', () => {
  it('keeps a subaccount’s application in the subaccount when its update says subaccount_id null (/v1)', async () => {
    const account = await apiAccount(server);
    const created = await v1(server, account, 'POST', `/Account/${account.authId}/Subaccount/`, {
      body: { name: 'Branch', enabled: true },
    });
    const subaccount = { authId: created.body.auth_id, authToken: created.body.auth_token };
    const app = await v1(server, subaccount, 'POST', `/Account/${subaccount.authId}/Application/`, {
      body: { app_name: 'Branch IVR', answer_url: 'https://acme-telecom.com/answer' },
    });
    expect(app.status, JSON.stringify(app.body)).toBe(200);
    const before = await applicationRow(app.body.app_id);
    expect(before.subaccount_id).not.toBeNull();
    const update = await v1(
      server,
      subaccount,
      'POST',
      `/Account/${subaccount.authId}/Application/${app.body.app_id}/`,
      { body: { answer_url: 'https://acme-telecom.com/answer2', subaccount_id: null } },
    );
    expect(update.status, JSON.stringify(update.body)).toBe(200);
    const after = await applicationRow(app.body.app_id);
    expect(after.subaccount_id).toBe(before.subaccount_id);
    expect(after.answer_url).toBe('https://acme-telecom.com/answer2');
  });

  it('never creates or moves an application into another tenant by account_id (/v1 and console)', async () => {
    const account = await apiAccount(server);
    const victim = await apiAccount(server);
    const created = await v1(server, account, 'POST', `/Account/${account.authId}/Application/`, {
      body: { app_name: 'Mine', answer_url: 'https://acme-telecom.com/a', account_id: victim.accountId },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    expect((await applicationRow(created.body.app_id)).account_id).toBe(account.accountId);

    const moved = await v1(
      server,
      account,
      'POST',
      `/Account/${account.authId}/Application/${created.body.app_id}/`,
      { body: { app_name: 'Mine still', account_id: victim.accountId } },
    );
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect((await applicationRow(created.body.app_id)).account_id).toBe(account.accountId);

    const consoleCreated = await account.client.post('/api/applications', {
      app_name: 'Console app',
      account_id: victim.accountId,
      app_id: '1111111111111111',
    });
    expect(consoleCreated.status, JSON.stringify(consoleCreated.body)).toBe(201);
    const consoleRow = await applicationRow(consoleCreated.body.appId);
    expect(consoleRow.account_id).toBe(account.accountId);
    const patched = await account.client.patch(`/api/applications/${consoleCreated.body.appId}`, {
      app_name: 'Console app 2',
      account_id: victim.accountId,
      subaccount_id: null,
    });
    expect(patched.status, JSON.stringify(patched.body)).toBe(204);
    const patchedRow = await applicationRow(consoleCreated.body.appId);
    expect(patchedRow.account_id).toBe(account.accountId);
    expect(patchedRow.app_name).toBe('Console app 2');
    const victimSees = await victim.client.get('/api/applications');
    expect(victimSees.body.total).toBe(0);
  });
});
