import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { money } from '../../src/lib/money.js';
import { LedgerErrors } from '../../src/modules/billing/errors.js';
import { TRANSACTIONS_CSV_HEADER } from '../../src/modules/billing/transactions.js';
import { apiAccount } from '../support/api-account.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { invitedMember } from '../support/team.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

/** An account with a subaccount and a few ledger entries of different kinds, some for the subaccount. */
async function accountWithLedger() {
  const account = await apiAccount(server);
  const sub = await account.client.post('/api/subaccounts', { name: 'Branch', enabled: true });
  expect(sub.status, JSON.stringify(sub.body)).toBe(201);
  const entry = (
    kind: 'recharge' | 'charge' | 'rental' | 'adjustment',
    micros: bigint,
    subaccountId: string | null,
    description: string,
  ) => ({
    accountId: account.accountId,
    subaccountId,
    kind,
    amount: money(micros, 'USD'),
    idempotencyKey: randomUUID(),
    causedBy: 'system',
    description,
  });
  await server.system.ledger.post([entry('recharge', 50_000_000n, null, 'Recharge')]);
  await server.system.ledger.post([entry('charge', -1_234_567n, sub.body.id, 'Calls, "day one", =SUM(A1)')]);
  await server.system.ledger.post([entry('rental', -800_000n, sub.body.id, 'Monthly rental')]);
  await server.system.ledger.post([entry('charge', -5_000n, null, 'SMS')]);
  return { ...account, subaccount: sub.body as { id: string; authId: string } };
}

/** Today in the account's time zone, as the database sees it (entries are stamped by the database). */
async function todayOf(accountId: string): Promise<string> {
  const { rows } = await sql<{ day: string }>`
    SELECT to_char(now() AT TIME ZONE timezone, 'YYYY-MM-DD') AS day FROM accounts WHERE id = ${accountId}`.execute(
    server.system.database.db,
  );
  return rows[0]?.day as string;
}

describe('Billing > Transactions over HTTP', () => {
  it('lists the ledger newest first with the balance, and filters by kind, subaccount and days', async () => {
    const account = await accountWithLedger();
    const client = account.client;
    const all = await client.get('/api/billing/transactions');
    expect(all.status, JSON.stringify(all.body)).toBe(200);
    expect(all.body.total).toBe(4);
    expect(all.body.transactions.map((t: { kind: string }) => t.kind)).toEqual([
      'charge',
      'rental',
      'charge',
      'recharge',
    ]);
    expect(all.body.balance).toEqual({
      balanceMicros: String(50_000_000 - 1_234_567 - 800_000 - 5_000),
      currency: 'USD',
    });
    expect(all.body.transactions[1]).toMatchObject({
      amountMicros: '-800000',
      subaccount: account.subaccount.authId,
      by: 'system',
    });

    const charges = await client.get('/api/billing/transactions?kind=charge');
    expect(charges.body.transactions.map((t: { amountMicros: string }) => t.amountMicros)).toEqual([
      '-5000',
      '-1234567',
    ]);
    const ofSub = await client.get(`/api/billing/transactions?subaccount=${account.subaccount.authId}`);
    expect(ofSub.body.total).toBe(2);
    expect(new Set(ofSub.body.transactions.map((t: { subaccount: string }) => t.subaccount))).toEqual(
      new Set([account.subaccount.authId]),
    );

    const today = await todayOf(account.accountId);
    const tomorrow = new Date(Date.parse(`${today}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    expect((await client.get(`/api/billing/transactions?from=${today}&to=${today}`)).body.total).toBe(4);
    expect((await client.get(`/api/billing/transactions?from=${tomorrow}`)).body.total).toBe(0);
    expect((await client.get(`/api/billing/transactions?to=${tomorrow}&kind=rental`)).body.total).toBe(1);
  });

  it('pages through the ledger with limit and offset', async () => {
    const account = await accountWithLedger();
    const first = await account.client.get('/api/billing/transactions?limit=3&offset=0');
    const second = await account.client.get('/api/billing/transactions?limit=3&offset=3');
    expect([first.body.transactions.length, second.body.transactions.length]).toEqual([3, 1]);
    expect([first.body.total, second.body.total]).toEqual([4, 4]);
    expect(second.body.transactions[0].kind).toBe('recharge');
  });

  it('refuses an unknown kind, an impossible day, a reversed range and another account’s subaccount', async () => {
    const account = await accountWithLedger();
    const other = await accountWithLedger();
    const refusals = [
      ['kind=bonus', LedgerErrors.invalidKind],
      ['from=2026-02-30', LedgerErrors.invalidDate],
      ['from=2026-03-02&to=2026-03-01', LedgerErrors.invalidDateRange],
      [`subaccount=${other.subaccount.authId}`, LedgerErrors.invalidSubaccount],
    ];
    for (const [query, code] of refusals) {
      const answer = await account.client.get(`/api/billing/transactions?${query}`);
      expect([answer.status, answer.body.code], query).toEqual([400, code]);
      const csv = await account.client.get(`/api/billing/transactions.csv?${query}`);
      expect([csv.status, csv.body.code], query).toEqual([400, code]);
    }
  });

  it('exports the filtered transactions as CSV, exact amounts, text a spreadsheet would run defused', async () => {
    const account = await accountWithLedger();
    await server.system.ledger.post([
      {
        accountId: account.accountId,
        subaccountId: account.subaccount.id,
        kind: 'adjustment',
        amount: money(2_000_000n, 'USD'),
        idempotencyKey: randomUUID(),
        causedBy: 'staff:00000000-0000-0000-0000-000000000001',
        description: '=HYPERLINK("http://evil.example")',
      },
    ]);
    const answer = await fetch(
      `${server.url}/api/billing/transactions.csv?subaccount=${account.subaccount.authId}`,
      {
        headers: {
          cookie: [...account.client.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
          'x-forwarded-for': account.client.ip,
          'user-agent': account.client.userAgent,
        },
      },
    );
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(answer.headers.get('content-disposition')).toBe('attachment; filename="transactions.csv"');
    const lines = (await answer.text()).trimEnd().split('\n');
    expect(`${lines[0]}\n`).toBe(TRANSACTIONS_CSV_HEADER);
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(
      new RegExp(
        `^\\d+,[^,]+,adjustment,2\\.000000,USD,${account.subaccount.authId},"'=HYPERLINK\\(""http://evil\\.example""\\)",,staff$`,
      ),
    );
    expect(lines[2]).toMatch(
      new RegExp(`^\\d+,[^,]+,rental,-0\\.800000,USD,${account.subaccount.authId},Monthly rental,,system$`),
    );
    expect(lines[3]).toContain(
      `,charge,-1.234567,USD,${account.subaccount.authId},"Calls, ""day one"", =SUM(A1)",,system`,
    );
  });

  it('streams an export longer than one page, every entry once', async () => {
    const account = await apiAccount(server);
    const entries = Array.from({ length: 2_500 }, (_, n) => ({
      accountId: account.accountId,
      subaccountId: null,
      kind: 'charge' as const,
      amount: money(-1n, 'USD'),
      idempotencyKey: `bulk-${n}`,
      causedBy: 'system',
      description: `event ${n}`,
    }));
    await server.system.ledger.post(entries);
    const csv = await account.client.get('/api/billing/transactions.csv?kind=charge');
    const rows = (csv.body as string).trimEnd().split('\n').slice(1);
    expect(rows).toHaveLength(2_500);
    expect(new Set(rows.map((row) => row.split(',')[0])).size).toBe(2_500);
  });

  it('is Billing: the Financial Analyst may read it, the Developer is refused 403', async () => {
    const account = await accountWithLedger();
    const analyst = await invitedMember(server, account.client, 'financial_analyst');
    const developer = await invitedMember(server, account.client, 'developer');
    for (const path of [
      '/api/billing/balance',
      '/api/billing/transactions',
      '/api/billing/transactions.csv',
    ]) {
      const allowed = await analyst.client.get(path);
      expect(allowed.status, path).toBe(200);
      const refused = await developer.client.get(path);
      expect([refused.status, refused.body.code], path).toEqual([403, 'role_not_permitted']);
    }
    const balance = await analyst.client.get('/api/billing/balance');
    expect(balance.body).toEqual({ balanceMicros: '47960433', currency: 'USD' });
  });
});
