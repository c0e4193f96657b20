import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAccount, v1 } from '../support/api-account.js';
import { failure, sdk as sdkFor } from '../support/plivo-sdk.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

const sdk = (authId: string, authToken: string) => sdkFor(server, authId, authToken);

describe('the Subaccount API through the official plivo SDK', () => {
  it('creates a subaccount with its own SA Auth ID and Auth Token, which call /v1 once it is enabled', async () => {
    const main = await apiAccount(server);
    const client = sdk(main.authId, main.authToken);
    const created = await client.subaccounts.create('Acme EU', true);
    expect(created.message).toBe('created');
    expect(created.authId).toMatch(/^SA[A-Z0-9]{18}$/);
    expect(created.authToken).toMatch(/^[A-Za-z0-9]{40}$/);
    const own = await sdk(created.authId, created.authToken).accounts.get();
    expect(own.name).toBe('Acme EU');
  });

  it('gets, lists with Plivo’s meta envelope, and updates subaccounts', async () => {
    const main = await apiAccount(server);
    const client = sdk(main.authId, main.authToken);
    const first = await client.subaccounts.create('First', false);
    await client.subaccounts.create('Second', true);
    const got = await client.subaccounts.get(first.authId);
    expect(got).toMatchObject({
      account: `/v1/Account/${main.authId}/`,
      authId: first.authId,
      enabled: false,
      name: 'First',
      resourceUri: `/v1/Account/${main.authId}/Subaccount/${first.authId}/`,
    });
    expect(got.created).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const page = await v1(server, main, 'GET', `/Account/${main.authId}/Subaccount/?limit=1&offset=0`);
    expect(page.body.meta).toEqual({
      limit: 1,
      next: `/v1/Account/${main.authId}/Subaccount/?limit=1&offset=1`,
      offset: 0,
      previous: null,
      total_count: 2,
    });
    expect(page.body.objects).toHaveLength(1);
    const listed = await client.subaccounts.list({ limit: 20, offset: 0 });
    expect(listed.map((s: { name: string }) => s.name).sort()).toEqual(['First', 'Second']);
    expect((await client.subaccounts.update(first.authId, 'First renamed', true)).message).toBe('changed');
    expect(await client.subaccounts.get(first.authId)).toMatchObject({
      name: 'First renamed',
      enabled: true,
    });
  });

  it('refuses a disabled subaccount’s credentials, and a deleted one’s', async () => {
    const main = await apiAccount(server);
    const client = sdk(main.authId, main.authToken);
    const sub = await client.subaccounts.create('Temporary', true);
    const subCredentials = { authId: sub.authId, authToken: sub.authToken };
    expect((await v1(server, subCredentials, 'GET', `/Account/${sub.authId}/`)).status).toBe(200);
    await client.subaccounts.update(sub.authId, 'Temporary', false);
    const disabled = await v1(server, subCredentials, 'GET', `/Account/${sub.authId}/`);
    expect(disabled.status).toBe(403);
    expect(disabled.body.error).toMatch(/disabled/);
    await client.subaccounts.update(sub.authId, 'Temporary', true);
    await client.subaccounts.delete(sub.authId, false);
    expect((await v1(server, subCredentials, 'GET', `/Account/${sub.authId}/`)).status).toBe(401);
    expect((await failure(client.subaccounts.get(sub.authId))).status).toBe(404);
  });

  it('keeps subaccounts of other accounts out of reach, and subaccounts out of the Subaccount API', async () => {
    const main = await apiAccount(server);
    const other = await apiAccount(server);
    const theirs = await sdk(other.authId, other.authToken).subaccounts.create('Theirs', true);
    const error = await failure(sdk(main.authId, main.authToken).subaccounts.get(theirs.authId));
    expect(error.status).toBe(404);
    const asSub = await failure(sdk(theirs.authId, theirs.authToken).subaccounts.create('Nested', true));
    expect(asSub.status).toBe(400);
    expect(asSub.message).toMatch(/subaccount cannot manage subaccounts/);
  });

  it('asks for a name', async () => {
    const main = await apiAccount(server);
    const response = await v1(server, main, 'POST', `/Account/${main.authId}/Subaccount/`, {
      body: { name: '  ', enabled: 'true' },
    });
    expect(response.status).toBe(400);
    expect(response.body.error).toMatch(/name is required/);
  });
});
