import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/schema.js';
import { money } from '../../src/lib/money.js';
import { apiAccount, v1 } from '../support/api-account.js';
import type { ConsoleClient } from '../support/browser-client.js';
import { setUpStaff, signInStaff, strongPassword } from '../support/journeys.js';
import { codeIn, lastMessageTo } from '../support/outbox.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { invitedMember } from '../support/team.js';
import { savedTestCard } from '../support/test-gateway.js';
import { addDailyUsage, addUsageRecords, testEngine } from '../support/usage.js';

const DAY_MINUTES = 24 * 60;
const YEARS = 7;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ TRIAL_CREDIT: '5' });
});
afterAll(async () => {
  await server?.stop();
});

/** The Owner's confirmation: the password and a code sent to the phone. */
async function closeAsOwner(owner: { client: ConsoleClient; phone: string }) {
  expect((await owner.client.post('/api/security/phone-code', { channel: 'sms' })).status).toBe(202);
  const code = codeIn((await lastMessageTo(server, owner.phone)).text);
  const closed = await owner.client.post('/api/account/closure', {
    password: strongPassword,
    method: 'phone',
    code,
  });
  expect(closed.status, JSON.stringify(closed.body)).toBe(200);
}

/** The daily job as the runner schedules it, after the clock moved. */
const runJobs = () => server.system.jobs.drain();

/** How many rows of a table name the account. */
async function rowsOf(table: keyof Database & string, accountId: string): Promise<number> {
  const row = await server.system.database.db
    .selectFrom(table as 'ledger_entries')
    .select(({ fn }) => fn.countAll<string>().as('count'))
    .where('account_id', '=', accountId)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

const accountRow = (accountId: string) =>
  server.system.database.db
    .selectFrom('accounts')
    .selectAll()
    .where('id', '=', accountId)
    .executeTakeFirstOrThrow();

const userByEmail = (email: string) =>
  server.system.database.db
    .selectFrom('users')
    .select(['id', 'name'])
    .where('email', '=', email)
    .executeTakeFirst();

const financialTables = [
  'ledger_entries',
  'payments',
  'payment_methods',
  'refunds',
  'usage_records',
  'usage_daily',
  'support_tickets',
  'memberships',
  'auth_tokens',
  'invoices',
] as const;

describe('closed accounts after the retention (ANSWERS: "Closed accounts")', () => {
  it('keeps a closed account’s records for staff for the retention, then deletes them; its Auth ID stays taken', async () => {
    const db = server.system.database.db;
    const staff = await setUpStaff(server);

    // An account with a member, a recharge, usage and a ticket; the member also belongs to another account.
    const closing = await apiAccount(server);
    const member = await invitedMember(server, closing.client, 'developer');
    const other = await apiAccount(server);
    await db
      .insertInto('memberships')
      .values({ account_id: other.accountId, user_id: member.userId, role: 'developer' })
      .execute();
    const card = await savedTestCard(server, closing.client);
    const paid = await closing.client.post('/api/billing/recharges', {
      amount: '20',
      paymentMethodId: card.id,
      requestKey: randomUUID(),
    });
    expect(paid.status, JSON.stringify(paid.body)).toBe(201);
    await server.system.ledger.post([
      {
        accountId: closing.accountId,
        subaccountId: null,
        kind: 'charge',
        amount: money(-3_000_000n, 'USD'),
        idempotencyKey: randomUUID(),
        causedBy: 'system',
      },
    ]);
    const today = server.clock.now().toISOString().slice(0, 10);
    await addUsageRecords(db, await testEngine(db), [
      { accountId: closing.accountId, startedAt: server.clock.now(), amountMicros: 3_000_000n },
    ]);
    await addDailyUsage(db, [
      {
        accountId: closing.accountId,
        day: today,
        product: 'sms',
        events: 1,
        quantity: 1,
        amountMicros: 3_000_000n,
      },
    ]);
    const ticket = await closing.client.post('/api/tickets', {
      email: closing.email,
      subject: 'Closing soon',
      description: 'We are moving our traffic elsewhere.',
      category: 'account',
      priority: 'normal',
    });
    expect(ticket.status, JSON.stringify(ticket.body)).toBe(201);
    const otherBalance = (await server.system.ledger.balance(other.accountId)).micros;

    await closeAsOwner(closing);
    await runJobs();
    expect(await rowsOf('ledger_entries', closing.accountId)).toBeGreaterThan(0);
    expect(await rowsOf('support_tickets', closing.accountId)).toBe(1);

    // A year before the retention runs out: everything is kept, and staff read the ledger.
    server.clock.advanceMinutes((YEARS - 1) * 365 * DAY_MINUTES);
    await runJobs();
    const staffClient = await signInStaff(server, staff);
    const kept = await staffClient.get(`/api/staff/accounts/${closing.accountId}`);
    expect(kept.status).toBe(200);
    expect(kept.body.account.status).toBe('closed');
    expect(kept.body.ledger.total).toBeGreaterThan(0);
    expect(await rowsOf('payments', closing.accountId)).toBe(1);

    // An account closed now is still inside its retention when the first one's runs out.
    const recent = await apiAccount(server);
    await closeAsOwner(recent);
    const recentName = (await accountRow(recent.accountId)).name;

    server.clock.advanceMinutes((365 + 2) * DAY_MINUTES);
    await runJobs();

    for (const table of financialTables) expect(await rowsOf(table, closing.accountId), table).toBe(0);
    expect(await rowsOf('audit_events', closing.accountId)).toBe(1);
    const purged = await accountRow(closing.accountId);
    expect(purged).toMatchObject({
      auth_id: closing.authId,
      status: 'closed',
      name: 'Closed account',
      company_name: null,
      website: null,
      signup_ip: null,
      balance_micros: 0n,
      held_micros: 0n,
    });
    expect(purged.purged_at).not.toBeNull();
    expect((await v1(server, closing, 'GET', `/Account/${closing.authId}/`)).status).toBe(401);
    expect(await userByEmail(closing.email)).toBeUndefined();

    // The member keeps their sign-in and the other account; the other account is untouched.
    expect(await userByEmail(member.email)).toMatchObject({ id: member.userId });
    expect(await rowsOf('memberships', other.accountId)).toBe(2);
    expect((await accountRow(other.accountId)).status).toBe('active');
    expect((await server.system.ledger.balance(other.accountId)).micros).toBe(otherBalance);

    // Staff see what is left: the account, its Auth ID, no ledger, one audit event without personal data.
    const staffAgain = await signInStaff(server, staff);
    const page = await staffAgain.get(`/api/staff/accounts/${closing.accountId}`);
    expect(page.status).toBe(200);
    expect(page.body.account).toMatchObject({
      authId: closing.authId,
      name: 'Closed account',
      status: 'closed',
    });
    expect(page.body.ledger.total).toBe(0);
    const [purgeEvent] = await db
      .selectFrom('audit_events')
      .select(['action', 'details'])
      .where('account_id', '=', closing.accountId)
      .execute();
    expect(purgeEvent?.action).toBe('account.purged');
    expect(JSON.stringify(purgeEvent?.details)).not.toContain(closing.email);

    // The ledger check passes; a new account never gets the Auth ID.
    expect(await server.system.ledger.verify()).toEqual([]);
    const newcomer = await apiAccount(server);
    expect(newcomer.authId).not.toBe(closing.authId);
    expect(
      await db.selectFrom('accounts').select('id').where('auth_id', '=', closing.authId).execute(),
    ).toEqual([{ id: closing.accountId }]);

    // The account closed a year ago keeps everything.
    const recentRow = await accountRow(recent.accountId);
    expect(recentRow.name).toBe(recentName);
    expect(recentRow.purged_at).toBeNull();
    expect(await rowsOf('ledger_entries', recent.accountId)).toBeGreaterThan(0);
    expect(await userByEmail(recent.email)).toBeDefined();
  });
});
