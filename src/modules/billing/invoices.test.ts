import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testTarget } from '../../../test/support/database.js';
import { addDailyUsage } from '../../../test/support/usage.js';
import { type DatabaseHandle, inTransaction, openDatabase } from '../../db/database.js';
import type { LedgerEntryKind, Role } from '../../db/schema.js';
import { EventBus } from '../../events/bus.js';
import { Jobs } from '../../jobs/runner.js';
import type { Clock } from '../../lib/clock.js';
import { newAuthId, newId } from '../../lib/ids.js';
import { money } from '../../lib/money.js';
import { SecretBox } from '../../lib/secrets.js';
import { deliverMessageJob } from '../../notify/outbox.jobs.js';
import { Outbox } from '../../notify/outbox.js';
import { AuditLog } from '../audit/audit.js';
import { InvoiceService } from './invoices.js';
import { Ledger } from './ledger.js';

/**
 * The monthly invoice's rules: months are the account's local calendar months, balances are the
 * ledger's sums, numbers are the operator's gapless sequence, each (account, month) is invoiced once
 * however many runs race, and an issued invoice is never changed.
 */

let handle: DatabaseHandle & { url?: string };
let ledger: Ledger;
let ms = Date.UTC(2031, 0, 15);
const clock: Clock = { now: () => new Date(ms) };
const log = pino({ level: 'silent' });
const secrets = new SecretBox(randomBytes(32).toString('hex'));

function serviceOn(database: DatabaseHandle) {
  const jobs = new Jobs({ db: database.db, clock, log });
  jobs.register(
    deliverMessageJob({
      db: database.db,
      secrets,
      drivers: { email: async () => {}, sms: async () => {}, voice: async () => {} },
      log,
      retentionDays: 7,
    }),
  );
  return new InvoiceService(
    database.db,
    clock,
    new Outbox(database.db, secrets, jobs),
    new AuditLog(database.db),
    { operatorName: 'Acme Telecom', publicUrl: 'https://console.example' },
  );
}
let invoices: InvoiceService;

beforeAll(async () => {
  handle = await createTestDatabase();
  const jobs = new Jobs({ db: handle.db, clock, log });
  ledger = new Ledger(handle.db, new EventBus(jobs));
  invoices = serviceOn(handle);
});
afterAll(() => handle.close());

async function mainAccount(timezone: string) {
  const id = newId();
  await handle.db
    .insertInto('accounts')
    .values({
      id,
      auth_id: newAuthId('MA'),
      name: 'Globex',
      signup_ip: null,
      status: 'active',
      currency: 'USD',
      timezone,
    })
    .execute();
  return id;
}

async function member(accountId: string, role: Role) {
  const userId = newId();
  const email = `${role}-${userId.slice(0, 8)}@globex.example`;
  await handle.db.insertInto('users').values({ id: userId, email, name: role, password_hash: 'x' }).execute();
  await handle.db
    .insertInto('memberships')
    .values({ account_id: accountId, user_id: userId, role })
    .execute();
  return email;
}

/** Posts an entry through the ledger, then dates it at `at` (the ledger dates entries by the database clock). */
async function post(accountId: string, micros: bigint, at: string, kind: LedgerEntryKind = 'adjustment') {
  const key = `test:${newId()}`;
  await ledger.post([
    {
      accountId,
      subaccountId: null,
      kind,
      amount: money(micros, 'USD'),
      idempotencyKey: key,
      causedBy: 'cli',
      description: `${kind} at ${at}`,
    },
  ]);
  await handle.db
    .updateTable('ledger_entries')
    .set({ created_at: sql`${at}::timestamptz` })
    .where('account_id', '=', accountId)
    .where('idempotency_key', '=', key)
    .execute();
}

const ledgerSumBefore = async (accountId: string, at: string) => {
  const { rows } = await sql<{ sum: bigint }>`
    SELECT coalesce(sum(amount_micros), 0)::bigint AS sum FROM ledger_entries
    WHERE account_id = ${accountId} AND created_at < ${at}::timestamptz`.execute(handle.db);
  return rows[0]?.sum;
};

const invoicesOf = (accountId: string) =>
  handle.db
    .selectFrom('invoices')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('period')
    .execute();

const counter = async () =>
  (
    await handle.db
      .selectFrom('invoice_counters')
      .select('last_number')
      .where('sequence', '=', 'invoice')
      .executeTakeFirstOrThrow()
  ).last_number;

const mailTo = async (email: string) =>
  (
    await handle.db.selectFrom('outbox_messages').select('subject').where('recipient', '=', email).execute()
  ).map((row) => row.subject);

describe('months are the account’s local calendar months', () => {
  it('counts an entry a moment before local midnight in the month it ends, and one at midnight in the next', async () => {
    // Asia/Kolkata is UTC+5:30: its 1 November 2030 begins at 18:30 UTC on 31 October.
    const account = await mainAccount('Asia/Kolkata');
    await post(account, 100_000_000n, '2030-10-10T12:00:00Z', 'recharge');
    await post(account, -1_000_000n, '2030-10-31T18:29:59.999Z'); // 23:59:59.999 on 31 October, local
    await post(account, -2_000_000n, '2030-10-31T18:30:00Z'); // 00:00 on 1 November, local
    await post(account, 5_000_000n, '2030-11-15T09:00:00Z', 'recharge');
    await post(account, -3_000_000n, '2030-11-30T18:29:59.999Z'); // the last moment of November, local
    await post(account, -4_000_000n, '2030-11-30T18:30:00Z'); // December, local

    const november = await invoices.facts(account, '2030-11-01', 'INV-TEST');
    expect(november.start.toISOString()).toBe('2030-10-31T18:30:00.000Z');
    expect(november.end.toISOString()).toBe('2030-11-30T18:30:00.000Z');
    expect(november.opening).toEqual(money(99_000_000n, 'USD'));
    expect(november.closing).toEqual(money(99_000_000n - 2_000_000n + 5_000_000n - 3_000_000n, 'USD'));
    expect(november.activity).toEqual([
      { kind: 'adjustment', entries: 2, amount: money(-5_000_000n, 'USD') },
      { kind: 'recharge', entries: 1, amount: money(5_000_000n, 'USD') },
    ]);
  });

  it('issues a month only once it has ended (and an hour more) in the account’s zone', async () => {
    // America/Los_Angeles is UTC-8 in winter: its January 2031 ends at 08:00 UTC on 1 February.
    const account = await mainAccount('America/Los_Angeles');
    await post(account, 7_000_000n, '2031-01-20T12:00:00Z', 'recharge');
    ms = Date.parse('2031-02-01T08:30:00Z'); // 00:30 on 1 February there: too early
    await invoices.issueDue();
    expect(await invoicesOf(account)).toEqual([]);
    ms = Date.parse('2031-02-01T09:00:00Z'); // an hour after its month ended
    await invoices.issueDue();
    const [january] = await invoicesOf(account);
    expect(january?.period).toBe('2031-01-01');
    expect(january?.period_start.toISOString()).toBe('2031-01-01T08:00:00.000Z');
    expect(january?.period_end.toISOString()).toBe('2031-02-01T08:00:00.000Z');
  });
});

describe('balances agree with the ledger exactly', () => {
  it('opens at the ledger’s sum before the month and closes at its sum before the next, month after month', async () => {
    const account = await mainAccount('America/New_York');
    await post(account, 20_000_000n, '2031-02-03T15:00:00Z', 'recharge');
    await post(account, -1_234_567n, '2031-02-28T23:00:00Z', 'charge'); // 18:00 local, February
    await post(account, -765_433n, '2031-03-01T04:59:59Z', 'rental'); // 23:59:59 local, February
    await post(account, -500_000n, '2031-03-01T05:00:00Z', 'charge'); // March
    await post(account, 10_000_000n, '2031-04-10T15:00:00Z', 'refund');
    // The first invoice is the latest ended month; the next ones follow it.
    ms = Date.parse('2031-03-02T12:00:00Z');
    await invoices.issueDue();
    ms = Date.parse('2031-05-02T12:00:00Z');
    await invoices.issueDue();
    const issued = await invoicesOf(account);
    expect(issued.map((invoice) => invoice.period)).toEqual(['2031-02-01', '2031-03-01', '2031-04-01']);
    for (const invoice of issued) {
      expect(invoice.opening_micros).toBe(await ledgerSumBefore(account, invoice.period_start.toISOString()));
      expect(invoice.closing_micros).toBe(await ledgerSumBefore(account, invoice.period_end.toISOString()));
      expect(invoice.closing_micros).toBe(
        invoice.opening_micros + invoice.debits_micros + invoice.credits_micros,
      );
    }
    expect(issued.map((invoice) => [invoice.opening_micros, invoice.closing_micros])).toEqual([
      [0n, 18_000_000n],
      [18_000_000n, 17_500_000n],
      [17_500_000n, 27_500_000n],
    ]);
    // The next month opens where the last one closed, to the microsecond.
    expect(issued[1]?.period_start).toEqual(issued[0]?.period_end);
    expect(issued[2]?.period_start).toEqual(issued[1]?.period_end);
  });
});

describe('usage by product and subaccount', () => {
  it('lists the month’s days’ usage, and the usage charged in another month on a line of its own, so it adds up to the ledger', async () => {
    const account = await mainAccount('UTC');
    const subaccount = newId();
    await handle.db
      .insertInto('accounts')
      .values({
        id: subaccount,
        auth_id: newAuthId('SA'),
        name: 'Globex EU',
        signup_ip: null,
        status: 'active',
        currency: 'USD',
        parent_account_id: account,
      })
      .execute();
    await post(account, 50_000_000n, '2031-03-01T10:00:00Z', 'recharge');
    await addDailyUsage(handle.db, [
      {
        accountId: account,
        day: '2031-02-28',
        product: 'sms',
        events: 1,
        quantity: 1,
        amountMicros: 40_000n,
      },
      {
        accountId: account,
        day: '2031-03-02',
        product: 'sms',
        events: 3,
        quantity: 3,
        amountMicros: 120_000n,
      },
      {
        accountId: account,
        subaccountId: subaccount,
        day: '2031-03-31',
        product: 'voice',
        events: 2,
        quantity: 125,
        amountMicros: 30_000n,
      },
      {
        accountId: account,
        day: '2031-03-15',
        product: 'numbers',
        events: 1,
        quantity: 1,
        amountMicros: 800_000n,
      },
    ]);
    // The ledger: 28 February's SMS charged on 1 March; 31 March's call charged on 1 April.
    await post(account, -40_000n, '2031-03-01T00:00:05Z', 'charge');
    await post(account, -120_000n, '2031-03-02T12:00:00Z', 'charge');
    await post(account, -30_000n, '2031-04-01T00:00:05Z', 'charge');
    await post(account, -800_000n, '2031-03-15T00:00:00Z', 'rental');
    const march = await invoices.facts(account, '2031-03-01', 'INV-TEST');
    expect(march.usage).toEqual([
      {
        subaccount: null,
        product: 'SMS',
        events: 3n,
        quantity: '3 segments',
        amount: money(120_000n, 'USD'),
      },
      {
        subaccount: { name: 'Globex EU', authId: expect.stringMatching(/^SA/) },
        product: 'Voice',
        events: 2n,
        quantity: '125 seconds',
        amount: money(30_000n, 'USD'),
      },
    ]);
    // Charged in March: 0.04 + 0.12; used on March's days: 0.12 + 0.03. The difference, +0.01, has its line.
    expect(march.usageChargedOutsideItsMonth).toEqual(money(10_000n, 'USD'));
    const usageLines = march.usage.reduce((sum, line) => sum + line.amount.micros, 0n);
    const charged = march.activity.find((line) => line.kind === 'charge')?.amount.micros;
    expect(usageLines + march.usageChargedOutsideItsMonth.micros).toBe(-(charged as bigint));
    expect(march.rentals).toEqual([{ subaccount: null, numbers: 1, amount: money(800_000n, 'USD') }]);
    expect(march.entries.map((entry) => [entry.kind, entry.amount.micros])).toEqual([
      ['recharge', 50_000_000n],
    ]);
  });
});

describe('invoice numbers', () => {
  it('are the operator’s one sequence, without gaps, and a failed issue gives its number back', async () => {
    ms = Date.parse('2031-07-02T12:00:00Z');
    await invoices.issueDue(); // whatever earlier tests left due
    const [first, second, third] = [
      await mainAccount('UTC'),
      await mainAccount('Europe/Paris'),
      await mainAccount('Asia/Tokyo'),
    ];
    for (const account of [first, second, third] as string[])
      await post(account, 1_000_000n, '2031-07-10T12:00:00Z', 'recharge');
    const before = await counter();
    ms = Date.parse('2031-08-02T12:00:00Z');
    // An issue whose transaction fails after it took a number: rolled back, number and all.
    await expect(
      inTransaction(handle.db, async () => {
        await invoices.issue(first as string, '2031-07-01');
        throw new Error('the instance died');
      }),
    ).rejects.toThrow('the instance died');
    expect(await counter()).toBe(before);
    expect(await invoicesOf(first as string)).toEqual([]);

    // Other tests' accounts get their July invoices in this run too: all numbers follow on.
    const numbers = await invoices.issueDue();
    expect(numbers.length).toBeGreaterThanOrEqual(3);
    expect(numbers).toEqual(
      numbers.map((_, i) => `INV-${(before + BigInt(i + 1)).toString().padStart(6, '0')}`),
    );
    expect(await counter()).toBe(before + BigInt(numbers.length));
    for (const account of [first, second, third] as string[])
      expect((await invoicesOf(account)).map((invoice) => invoice.period)).toEqual(['2031-07-01']);
    const all = await handle.db.selectFrom('invoices').select('number').orderBy('number').execute();
    expect(all.map((row) => row.number)).toEqual(all.map((_, i) => BigInt(i + 1)));
  });
});

describe('once per account and month', () => {
  it('issues each invoice once and mails it once when runs race, on one or two instances', async () => {
    const accounts = [
      await mainAccount('UTC'),
      await mainAccount('Pacific/Auckland'),
      await mainAccount('UTC'),
    ];
    const recipients: string[] = [];
    for (const account of accounts) {
      await post(account, 3_000_000n, '2031-09-12T12:00:00Z', 'recharge');
      recipients.push(await member(account, 'owner'), await member(account, 'financial_analyst'));
    }
    const admin = await member(accounts[0] as string, 'admin');
    ms = Date.parse('2031-10-02T12:00:00Z');
    const before = await counter();
    let issued: string[] = [];
    // On PostgreSQL, a second instance: its own connection pool on the same database.
    const second =
      testTarget === 'postgres' ? await openDatabase({ databaseUrl: handle.url as string }) : handle;
    try {
      const other = serviceOn(second);
      const runs = await Promise.all([
        invoices.issueDue(),
        other.issueDue(),
        invoices.issueDue(),
        other.issueDue(),
      ]);
      issued = runs.flat();
    } finally {
      if (second !== handle) await second.close();
    }
    expect(new Set(issued).size).toBe(issued.length);
    expect(issued.length).toBeGreaterThanOrEqual(3);
    expect(await counter()).toBe(before + BigInt(issued.length));
    for (const account of accounts) expect(await invoicesOf(account)).toHaveLength(1);
    for (const email of recipients)
      expect(await mailTo(email)).toEqual([
        expect.stringMatching(/^Invoice INV-\d{6} for Globex, September 2031$/),
      ]);
    expect(await mailTo(admin)).toEqual([]); // invoices go to the Owner and Financial Analysts
    expect(await invoices.issue(accounts[0] as string, '2031-09-01')).toBeNull();
  });
});

describe('an issued invoice', () => {
  it('is never changed: the database refuses an update, and the PDF stays the bytes that were issued', async () => {
    const account = await mainAccount('UTC');
    await post(account, 2_000_000n, '2031-11-05T12:00:00Z', 'recharge');
    ms = Date.parse('2031-12-01T02:00:00Z');
    await invoices.issue(account, '2031-11-01');
    const [issued] = await invoicesOf(account);
    if (!issued) throw new Error('not issued');
    await expect(
      handle.db.updateTable('invoices').set({ closing_micros: 0n }).where('id', '=', issued.id).execute(),
    ).rejects.toThrow(/never changed/);
    // A later entry dated in the month (it cannot happen after the grace hour; here by hand) changes nothing issued.
    await post(account, 1_000_000n, '2031-11-20T12:00:00Z', 'adjustment');
    const download = await invoices.pdf(account, issued.id);
    expect(download.pdf.equals(Buffer.from(issued.pdf))).toBe(true);
    expect(download.fileName).toMatch(/^INV-\d{6}\.pdf$/);
    const { createHash } = await import('node:crypto');
    expect(createHash('sha256').update(download.pdf).digest('hex')).toBe(issued.pdf_sha256);
    expect((await invoicesOf(account))[0]?.closing_micros).toBe(2_000_000n);
  });

  it('is not found by another account', async () => {
    const [mine] = await handle.db.selectFrom('invoices').select('id').limit(1).execute();
    const stranger = await mainAccount('UTC');
    await expect(invoices.pdf(stranger, mine?.id as string)).rejects.toMatchObject({ status: 404 });
  });
});
