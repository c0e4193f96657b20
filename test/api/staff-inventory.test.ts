import { randomInt, randomUUID } from 'node:crypto';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NumberErrors } from '../../src/modules/numbers/errors.js';
import { fundedAccount } from '../support/api-account.js';
import type { ConsoleClient } from '../support/browser-client.js';
import { loadTestPrices, testEngine } from '../support/engine-usage.js';
import { setUpStaff, signInStaff } from '../support/journeys.js';
import { freshUsPrefix } from '../support/phone-numbers.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * Staff > Number inventory and Engines: the whole inventory with who rents what, filtered and paged;
 * an unrented number removed (audited, gone from customers' search); a rented one refused naming its
 * account; the engines' list with the credit sessions each has open now.
 */
let server: TestServer;
let staff: ConsoleClient;
let staffId: string;

const line = (number: string, country: string, type: string, region: string) =>
  `${number},${country},${type},"${region}",true,true,0.8`;

async function load(...lines: string[]) {
  const loaded = await staff.post('/api/staff/numbers', {
    csv: `number,country_iso,type,region,voice,sms,monthly_rental\n${lines.join('\n')}\n`,
  });
  expect(loaded.status, JSON.stringify(loaded.body)).toBe(200);
}

/** A London number no other test uses. */
function freshGbNumber() {
  for (;;) {
    const number = `44207${randomInt(1_000_000, 10_000_000)}`;
    if (parsePhoneNumberFromString(`+${number}`)?.getType() === 'FIXED_LINE') return number;
  }
}

const listed = async (query: string) => {
  const answer = await staff.get(`/api/staff/numbers?${query}`);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body as { total: number; numbers: { number: string; [field: string]: unknown }[] };
};
const numbersOf = (page: { numbers: { number: string }[] }) => page.numbers.map((n) => n.number).sort();

/** Three US numbers under one prefix (two local, one mobile), the first rented by an account, the second by its subaccount. */
async function stockedPrefix() {
  const prefix = freshUsPrefix();
  const [rented, bySubaccount, free] = ['1000', '2000', '3000'].map((suffix) => `1${prefix}${suffix}`) as [
    string,
    string,
    string,
  ];
  await load(
    line(rented, 'US', 'local', 'California, UNITED STATES'),
    line(bySubaccount, 'US', 'local', 'California, UNITED STATES'),
    line(free, 'US', 'mobile', 'California, UNITED STATES'),
  );
  const account = await fundedAccount(server);
  const subaccount = await account.client.post('/api/subaccounts', { name: 'Branch' });
  expect(subaccount.status).toBe(201);
  expect((await account.client.post(`/api/numbers/${rented}`, {})).status).toBe(201);
  const moved = await account.client.post(`/api/numbers/${bySubaccount}`, {
    subaccount: subaccount.body.authId,
  });
  expect(moved.status, JSON.stringify(moved.body)).toBe(201);
  return { prefix, rented, bySubaccount, free, account, subaccountAuthId: subaccount.body.authId as string };
}

beforeAll(async () => {
  server = await startTestServer();
  await loadTestPrices(server, [
    { country_iso: 'US', product: 'voice', direction: 'outbound', rate_micros: 12_000n },
  ]);
  const member = await setUpStaff(server, 'staff_admin');
  staffId = member.id;
  staff = await signInStaff(server, member);
}, 120_000);
afterAll(() => server.stop());

describe('Staff > Number inventory', () => {
  it('lists the inventory by country, type, rented or not, number or account, and names who rents each number', async () => {
    const { prefix, rented, bySubaccount, free, account, subaccountAuthId } = await stockedPrefix();
    const london = freshGbNumber();
    await load(line(london, 'GB', 'local', 'London, UNITED KINGDOM'));

    expect(numbersOf(await listed(`q=${prefix}`))).toEqual([rented, bySubaccount, free].sort());
    const rentedPage = await listed(`q=%2B${prefix}&state=rented`);
    expect(numbersOf(rentedPage)).toEqual([rented, bySubaccount].sort());
    const today = server.clock.now().toISOString().slice(0, 10);
    const accountOf = rentedPage.numbers.find((n) => n.number === rented)?.account as { name: string };
    expect(rentedPage.numbers.find((n) => n.number === rented)).toMatchObject({
      countryIso: 'US',
      type: 'local',
      monthlyRental: '0.80000',
      rentedSince: today,
      account: { id: account.accountId, authId: account.authId, name: expect.any(String) },
      subaccount: null,
    });
    expect(rentedPage.numbers.find((n) => n.number === bySubaccount)).toMatchObject({
      account: { id: account.accountId, authId: account.authId },
      subaccount: subaccountAuthId,
    });

    const unrented = await listed(`q=${prefix}&state=unrented`);
    expect(unrented.numbers).toEqual([
      expect.objectContaining({
        number: free,
        type: 'mobile',
        account: null,
        subaccount: null,
        rentedSince: null,
      }),
    ]);
    expect(numbersOf(await listed(`q=${prefix}&type=mobile`))).toEqual([free]);
    expect(numbersOf(await listed(`q=${prefix}&type=local`))).toEqual([rented, bySubaccount].sort());
    expect(numbersOf(await listed(`country=gb&q=${london}`))).toEqual([london]);
    expect((await listed(`country=US&q=${london}`)).total).toBe(0);

    expect(numbersOf(await listed(`q=${account.authId}`))).toEqual([rented, bySubaccount].sort());
    expect(numbersOf(await listed(`q=${subaccountAuthId.toLowerCase()}`))).toEqual([bySubaccount]);
    const byName = await listed(
      `q=${encodeURIComponent(accountOf.name.toUpperCase())}&state=rented&limit=100`,
    );
    expect(numbersOf(byName)).toEqual(expect.arrayContaining([rented, bySubaccount]));

    const second = await listed(`q=${prefix}&order=number&limit=1&offset=1`);
    expect([second.total, numbersOf(second)]).toEqual([3, [bySubaccount]]);

    const refused = await staff.get('/api/staff/numbers?state=sold&extra=1');
    expect(refused.status).toBe(400);
  });

  it('removes an unrented number: gone from the inventory and from customers’ search, audited with the staff member', async () => {
    const { prefix, free, account } = await stockedPrefix();
    const removed = await staff.delete(`/api/staff/numbers/%2B${free}`);
    expect(removed.status, JSON.stringify(removed.body)).toBe(204);

    expect((await listed(`q=${prefix}&state=unrented`)).total).toBe(0);
    const search = await account.client.get(
      `/api/numbers/available?country_iso=US&pattern=${prefix}&type=mobile`,
    );
    expect(search.status).toBe(200);
    expect(search.body.numbers.map((n: { number: string }) => n.number)).not.toContain(free);
    expect((await account.client.post(`/api/numbers/${free}`, {})).status).toBe(404);

    const audited = await server.system.database.db
      .selectFrom('audit_events')
      .select(['staff_id', 'details'])
      .where('action', '=', 'number.removed_from_inventory')
      .where('staff_id', '=', staffId)
      .execute();
    expect(audited.map((event) => event.details)).toContainEqual({
      number: free,
      countryIso: 'US',
      type: 'mobile',
    });

    const again = await staff.delete(`/api/staff/numbers/${free}`);
    expect([again.status, again.body.code]).toEqual([404, NumberErrors.notFound]);
  });

  it('refuses to remove a rented number, naming the account renting it, and changes nothing', async () => {
    const { prefix, rented, account } = await stockedPrefix();
    const before = await listed(`q=${prefix}`);
    const refused = await staff.delete(`/api/staff/numbers/${rented}`);
    expect([refused.status, refused.body.code]).toEqual([409, NumberErrors.numberRented]);
    expect(refused.body.detail).toContain(account.authId);
    const name = before.numbers.find((n) => n.number === rented)?.account as { name: string };
    expect(refused.body.detail).toContain(name.name);
    expect(await listed(`q=${prefix}`)).toEqual(before);
    const theirs = await account.client.get('/api/numbers');
    expect(theirs.body.numbers.map((n: { number: string }) => n.number)).toContain(rented);
  });

  it('refuses a customer session', async () => {
    const { free, account } = await stockedPrefix();
    expect((await account.client.get('/api/staff/numbers')).status).toBe(401);
    expect((await account.client.delete(`/api/staff/numbers/${free}`)).status).toBe(401);
    expect(numbersOf(await listed(`q=${free}`))).toEqual([free]);
  });
});

describe('Staff > Engines', () => {
  it('shows the credit sessions each engine has open now', async () => {
    const engine = await testEngine(server);
    const account = await fundedAccount(server);
    const openSessionsOf = async () => {
      const engines = await staff.get('/api/staff/engines');
      expect(engines.status).toBe(200);
      return engines.body.engines.find((e: { id: string }) => e.id === engine.engineId)?.openSessions;
    };
    expect(await openSessionsOf()).toBe(0);

    const call = async (path: string, body: unknown) => {
      const response = await fetch(`${server.url}/api/engine${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${engine.key}` },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as { session: string } };
    };
    const open = () =>
      call('/sessions', {
        id: randomUUID(),
        account: account.authId,
        product: 'voice',
        direction: 'outbound',
        from: '+14155550100',
        to: '+12125550123',
      });
    const first = await open();
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect((await open()).status).toBe(201);
    expect(await openSessionsOf()).toBe(2);

    expect((await call(`/sessions/${first.body.session}/end`, { seconds: 30 })).status).toBe(200);
    expect(await openSessionsOf()).toBe(1);
  });
});
