import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAccount } from '../support/api-account.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ CURRENCY: 'EUR' });
});
afterAll(() => server.stop());

describe("an account's currency", () => {
  it("opens a new account in the operator's currency, and its subaccounts in the account's", async () => {
    const owner = await apiAccount(server);
    expect((await owner.client.get('/api/session')).body.account.currency).toBe('EUR');
    const created = await owner.client.post('/api/subaccounts', { name: 'Acme EU' });
    expect(created.status).toBe(201);
    const subaccount = await server.system.database.db
      .selectFrom('accounts')
      .select('currency')
      .where('auth_id', '=', created.body.authId)
      .executeTakeFirstOrThrow();
    expect(subaccount.currency).toBe('EUR');
  });
});
