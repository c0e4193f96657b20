import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renewalAfter } from '../../src/modules/billing/rentals.js';
import { addCredit, apiAccount, v1 } from '../support/api-account.js';
import { freshUsNumber } from '../support/phone-numbers.js';
import { startTestServer, type TestServer, twoInstances } from '../support/server.js';

const DAY_MINUTES = 24 * 60;

/** Numbers in the inventory with the monthly rentals given (units, as the inventory CSV writes them). */
async function stock(server: TestServer, ...rentals: string[]) {
  const numbers = rentals.map(() => freshUsNumber());
  await server.system.numbers.load(
    { ip: 'test', userAgent: null },
    `number,country_iso,type,region,voice,sms,monthly_rental\n${numbers
      .map((number, i) => `${number},US,local,"California, UNITED STATES",true,true,${rentals[i]}`)
      .join('\n')}\n`,
  );
  return numbers;
}

async function rentals(server: TestServer, accountId: string) {
  return server.system.database.db
    .selectFrom('ledger_entries')
    .select(['amount_micros', 'subaccount_id', 'reference', 'idempotency_key'])
    .where('account_id', '=', accountId)
    .where('kind', '=', 'rental')
    .orderBy('id')
    .execute();
}

async function owed(server: TestServer, accountId: string) {
  return server.system.database.db
    .selectFrom('owed_rentals')
    .select(['number', 'amount_micros'])
    .where('account_id', '=', accountId)
    .orderBy('created_at')
    .execute();
}

describe('number rentals', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.stop());

  it('charges the first month’s rental when a number is rented, carrying the subaccount and counted as Numbers usage', async () => {
    const account = await apiAccount(server);
    await addCredit(server, account.accountId, '10');
    const sub = await account.client.post('/api/subaccounts', { name: 'Branch', enabled: true });
    const [number] = await stock(server, '0.8');
    const rented = await account.client.post(`/api/numbers/${number}`, { subaccount: sub.body.authId });
    expect(rented.status, JSON.stringify(rented.body)).toBe(201);
    const today = server.clock.now().toISOString().slice(0, 10);
    expect(await rentals(server, account.accountId)).toEqual([
      {
        amount_micros: -800_000n,
        subaccount_id: sub.body.id,
        reference: number,
        idempotency_key: `rental:${number}:${today}`,
      },
    ]);
    expect(await server.system.ledger.balance(account.accountId)).toEqual({
      micros: 9_200_000n,
      currency: 'USD',
    });
    const usage = await server.system.database.db
      .selectFrom('usage_daily')
      .selectAll()
      .where('account_id', '=', account.accountId)
      .execute();
    expect(usage).toEqual([
      {
        account_id: account.accountId,
        subaccount_id: sub.body.id,
        day: today,
        product: 'numbers',
        direction: 'none',
        events: 1n,
        quantity: 1n,
        amount_micros: 800_000n,
      },
    ]);
  });

  it('records a renewal as owed when the balance cannot cover it (the number stays rented), and the next credits settle owed rentals oldest first', async () => {
    const account = await apiAccount(server);
    const [first, second] = (await stock(server, '0.8', '1.5')) as [string, string];
    await addCredit(server, account.accountId, '2.3');
    expect((await account.client.post(`/api/numbers/${first}`, {})).status).toBe(201);
    // Rented a day apart, they renew (and are owed) in that order.
    server.clock.advanceMinutes(DAY_MINUTES);
    expect(
      (await v1(server, account, 'POST', `/Account/${account.authId}/PhoneNumber/${second}/`, { body: {} }))
        .status,
    ).toBe(200);
    expect((await server.system.ledger.balance(account.accountId)).micros).toBe(0n);
    server.clock.advanceMinutes(32 * DAY_MINUTES);
    await server.system.rentals.renewDue();
    const listed = await v1(server, account, 'GET', `/Account/${account.authId}/Number/`);
    expect(listed.body.objects.map((n: { number: string }) => n.number).sort()).toEqual(
      [first, second].sort(),
    );
    expect(await owed(server, account.accountId)).toEqual([
      { number: first, amount_micros: 800_000n },
      { number: second, amount_micros: 1_500_000n },
    ]);
    const renewals = async () => (await rentals(server, account.accountId)).slice(2).map((r) => r.reference);

    // 1.00 covers the oldest (0.80) and not the next (1.50), which waits.
    await addCredit(server, account.accountId, '1');
    expect(await renewals()).toEqual([first]);
    expect(await owed(server, account.accountId)).toEqual([{ number: second, amount_micros: 1_500_000n }]);
    expect((await server.system.ledger.balance(account.accountId)).micros).toBe(200_000n);

    await addCredit(server, account.accountId, '2');
    expect(await renewals()).toEqual([first, second]);
    expect(await owed(server, account.accountId)).toEqual([]);
    expect((await server.system.ledger.balance(account.accountId)).micros).toBe(700_000n);
    const mismatches = await server.system.ledger.verify();
    expect(mismatches.filter((m) => m.accountId === account.accountId)).toEqual([]);
  });

  it('charges each renewal once and moves renewal_date (as the Number API shows it) a month on', async () => {
    const account = await apiAccount(server);
    await addCredit(server, account.accountId, '10');
    const [number] = (await stock(server, '0.8')) as [string];
    await account.client.post(`/api/numbers/${number}`, {});
    const before = await v1(server, account, 'GET', `/Account/${account.authId}/Number/${number}/`);
    const renewal: string = before.body.renewal_date;
    const addedOn: string = before.body.added_on;
    server.clock.advanceMinutes(32 * DAY_MINUTES);
    await Promise.all([server.system.rentals.renewDue(), server.system.rentals.renewDue()]);
    await server.system.rentals.renewDue();
    expect((await rentals(server, account.accountId)).map((r) => r.idempotency_key)).toEqual([
      `rental:${number}:${addedOn}`,
      `rental:${number}:${renewal}`,
    ]);
    const after = await v1(server, account, 'GET', `/Account/${account.authId}/Number/${number}/`);
    expect(after.body.renewal_date).toBe(renewalAfter(renewal, addedOn));
  });
});

describe('renewalAfter', () => {
  it('keeps the day of the month the number was rented, or the month’s last day when it is shorter', () => {
    expect(renewalAfter('2027-01-31', '2026-12-31')).toBe('2027-02-28');
    expect(renewalAfter('2027-02-28', '2026-12-31')).toBe('2027-03-31');
    expect(renewalAfter('2027-12-15', '2027-11-15')).toBe('2028-01-15');
    expect(renewalAfter('2028-01-31', '2027-12-31')).toBe('2028-02-29');
  });
});

describe.runIf(process.env.TEST_TARGET === 'postgres')(
  'the renewal job on two instances of one database',
  () => {
    const instances = twoInstances();

    it('charges a number once per period though both instances renew at once', async () => {
      const { first, second } = instances;
      const account = await apiAccount(first);
      await addCredit(first, account.accountId, '10');
      const numbers = await stock(first, '0.8', '0.8', '0.8', '0.8', '0.8');
      for (const number of numbers)
        expect((await account.client.post(`/api/numbers/${number}`, {})).status).toBe(201);
      first.clock.advanceMinutes(32 * DAY_MINUTES);
      second.clock.advanceMinutes(32 * DAY_MINUTES);
      await Promise.all([
        first.system.rentals.renewDue(),
        second.system.rentals.renewDue(),
        first.system.jobs.drain(),
        second.system.jobs.drain(),
        first.system.rentals.renewDue(),
        second.system.rentals.renewDue(),
      ]);
      const charged = await rentals(first, account.accountId);
      // Each number: its first month at rent, and one renewal.
      expect(charged).toHaveLength(10);
      expect(new Set(charged.map((r) => r.idempotency_key)).size).toBe(10);
      expect((await first.system.ledger.balance(account.accountId)).micros).toBe(
        10_000_000n - 10n * 800_000n,
      );
      const rows = await first.system.database.db
        .selectFrom('numbers')
        .select(['added_on', 'renewal_date'])
        .where('number', 'in', numbers)
        .execute();
      for (const row of rows) {
        const firstRenewal = charged.find((r) => r.idempotency_key.endsWith(`:${row.added_on}`));
        expect(firstRenewal).toBeDefined();
      }
      expect(new Set(rows.map((row) => row.renewal_date)).size).toBe(1);
      expect((rows[0]?.renewal_date ?? '') > first.clock.now().toISOString().slice(0, 10)).toBe(true);
    });
  },
);
