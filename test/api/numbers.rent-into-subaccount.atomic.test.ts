import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fundedAccount } from '../support/api-account.js';
import { freshUsNumber } from '../support/phone-numbers.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

async function stockOne() {
  const number = freshUsNumber();
  await server.system.numbers.load(
    { ip: 'test', userAgent: null },
    `number,country_iso,type,region,voice,sms,monthly_rental\n${number},US,local,"California, UNITED STATES",true,true,0.8\n`,
  );
  return number;
}

describe('renting a number straight into a subaccount from the console', () => {
  it('leaves the number unrented in the inventory when the subaccount is not one of the account’s', async () => {
    const owner = await fundedAccount(server);
    const other = await fundedAccount(server);
    const theirs = await other.client.post('/api/subaccounts', { name: 'Theirs' });
    const number = await stockOne();
    for (const subaccount of [theirs.body.authId, 'SANOSUCHSUBACCOUNT00']) {
      const refused = await owner.client.post(`/api/numbers/${number}`, { subaccount });
      expect(refused.status, subaccount).toBe(400);
      expect(refused.body.detail).toContain(`subaccount ${subaccount} is not a subaccount of this account`);
    }
    expect((await owner.client.get('/api/numbers')).body.numbers).toEqual([]);
    const available = await owner.client.get(
      `/api/numbers/available?country_iso=US&pattern=${number.slice(1)}`,
    );
    expect(available.body.numbers.map((n: { number: string }) => n.number)).toEqual([number]);
    const rented = await server.system.database.db
      .selectFrom('audit_events')
      .select('action')
      .where('account_id', '=', owner.accountId)
      .where('action', '=', 'number.rented')
      .execute();
    expect(rented).toEqual([]);
  });

  it('rents into the named subaccount in one step, recording it in the audit trail', async () => {
    const owner = await fundedAccount(server);
    const sub = await owner.client.post('/api/subaccounts', { name: 'Sales' });
    const number = await stockOne();
    expect((await owner.client.post(`/api/numbers/${number}`, { subaccount: sub.body.authId })).status).toBe(
      201,
    );
    expect((await owner.client.get('/api/numbers')).body.numbers).toEqual([
      expect.objectContaining({ number, sub_account: sub.body.authId }),
    ]);
    const events = await server.system.database.db
      .selectFrom('audit_events')
      .select(['action', 'details'])
      .where('account_id', '=', owner.accountId)
      .where('action', 'like', 'number.%')
      .execute();
    expect(events).toEqual([{ action: 'number.rented', details: { number, subaccount: sub.body.authId } }]);
  });
});
