import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fundedAccount, v1 } from '../support/api-account.js';
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

describe('the Phone Numbers page', () => {
  it('rents a number straight into a subaccount, moves it to another, and refuses deleting a subaccount that holds it', async () => {
    const owner = await fundedAccount(server);
    const number = await stockOne();
    const first = await owner.client.post('/api/subaccounts', { name: 'First' });
    const second = await owner.client.post('/api/subaccounts', { name: 'Second' });
    const found = await owner.client.get(
      `/api/numbers/available?country_iso=US&pattern=${number.slice(1, 7)}`,
    );
    expect(found.body.numbers.map((n: { number: string }) => n.number)).toContain(number);
    expect(
      (await owner.client.post(`/api/numbers/${number}`, { subaccount: first.body.authId })).status,
    ).toBe(201);
    expect((await owner.client.get('/api/numbers')).body.numbers).toEqual([
      expect.objectContaining({ number, sub_account: first.body.authId }),
    ]);
    expect(
      (await v1(server, first.body, 'GET', `/Account/${first.body.authId}/Number/${number}/`)).status,
    ).toBe(200);
    expect(
      (await owner.client.patch(`/api/numbers/${number}`, { subaccount: second.body.authId })).status,
    ).toBe(204);
    expect(
      (await v1(server, first.body, 'GET', `/Account/${first.body.authId}/Number/${number}/`)).status,
    ).toBe(404);
    const refused = await owner.client.delete(`/api/subaccounts/${second.body.authId}`);
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toContain(number);
    expect((await owner.client.delete(`/api/numbers/${number}`)).status).toBe(204);
    expect((await owner.client.delete(`/api/subaccounts/${second.body.authId}`)).status).toBe(204);
  });

  it('never moves a number to another account’s subaccount', async () => {
    const owner = await fundedAccount(server);
    const other = await fundedAccount(server);
    const theirs = await other.client.post('/api/subaccounts', { name: 'Theirs' });
    const number = await stockOne();
    await owner.client.post(`/api/numbers/${number}`, {});
    const moved = await owner.client.patch(`/api/numbers/${number}`, { subaccount: theirs.body.authId });
    expect(moved.status).toBe(400);
    expect((await owner.client.get('/api/numbers')).body.numbers[0].sub_account).toBeNull();
  });
});
