import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDay } from '../../src/modules/billing/usage-summary.js';
import { fundedAccount, v1 } from '../support/api-account.js';
import type { ConsoleClient } from '../support/browser-client.js';
import { setUpStaff, signInStaff, signInWithPhone } from '../support/journeys.js';
import { freshUsNumber } from '../support/phone-numbers.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { invitedMember } from '../support/team.js';
import { addDailyUsage } from '../support/usage.js';

/**
 * The staff console's account page: one account's status and lifecycle history, members, balance
 * and ledger, usage, numbers, tickets, audit trail and engine sessions, for any staff member and no
 * customer; and the account search by company name and rented phone number.
 */
let server: TestServer;
let agent: ConsoleClient;
let admin: ConsoleClient;
let account: Awaited<ReturnType<typeof fundedAccount>>;
let developer: Awaited<ReturnType<typeof invitedMember>>;
let number: string;
let ticketNumber: string;
let company: string;

beforeAll(async () => {
  server = await startTestServer();
  await server.system.jobs.stop();
  agent = await signInStaff(server, await setUpStaff(server, 'agent'));
  admin = await signInStaff(server, await setUpStaff(server, 'staff_admin'));

  account = await fundedAccount(server);
  company = `Initech ${randomUUID().slice(0, 8)}`;
  // The account renamed since onboarding: the company name still finds it.
  await server.system.database.db
    .updateTable('accounts')
    .set({ company_name: company, name: 'Support desk' })
    .where('id', '=', account.accountId)
    .execute();
  developer = await invitedMember(server, account.client, 'developer');
  await signInWithPhone(server, account.email, account.phone);

  const credited = await agent.post(`/api/staff/accounts/${account.accountId}/credits`, {
    amount: '25',
    reason: 'Goodwill for the outage on 2 December',
    idempotency_key: randomUUID(),
  });
  expect(credited.status, JSON.stringify(credited.body)).toBe(200);

  number = freshUsNumber();
  await server.system.numbers.load(
    { ip: 'test', userAgent: null },
    `number,country_iso,type,region,voice,sms,monthly_rental\n${number},US,local,"California, UNITED STATES",true,true,0.8\n`,
  );
  const rented = await v1(server, account, 'POST', `/Account/${account.authId}/PhoneNumber/${number}/`, {
    body: {},
  });
  expect(rented.status, JSON.stringify(rented.body)).toBe(200);

  const ticket = await account.client.post('/api/tickets', {
    email: account.email,
    subject: 'Calls drop after 30 seconds',
    description: 'Every outbound call to +44 drops at 30 s.',
    category: 'technical',
    priority: 'high',
  });
  expect(ticket.status, JSON.stringify(ticket.body)).toBe(201);
  ticketNumber = ticket.body.number;

  const suspended = await agent.post(`/api/staff/accounts/${account.accountId}/suspend`, {
    reason: 'compliance_issue',
    details: 'Send the 10DLC registration for your campaign.',
  });
  expect(suspended.status, JSON.stringify(suspended.body)).toBe(200);
  const reinstated = await agent.post(`/api/staff/accounts/${account.accountId}/reinstate`, {
    note: 'Registration received.',
  });
  expect(reinstated.status, JSON.stringify(reinstated.body)).toBe(204);

  const { timezone } = await server.system.database.db
    .selectFrom('accounts')
    .select('timezone')
    .where('id', '=', account.accountId)
    .executeTakeFirstOrThrow();
  await addDailyUsage(server.system.database.db, [
    {
      accountId: account.accountId,
      day: localDay(server.clock.now(), timezone),
      product: 'voice',
      events: 3,
      quantity: 180,
      amountMicros: 36_000n,
    },
  ]);
}, 180_000);
afterAll(() => server.stop());

describe('the staff account page', () => {
  it('shows status and history, members, balance and ledger, usage, numbers, tickets, audit trail and engine sessions', async () => {
    const page = await agent.get(`/api/staff/accounts/${account.accountId}`);
    expect(page.status, JSON.stringify(page.body)).toBe(200);
    const body = page.body;

    expect(body.account).toMatchObject({ id: account.accountId, authId: account.authId, status: 'active' });
    expect(body.account.inactivity).toEqual({ warnedAt: null, flaggedAt: null });
    expect(body.latest).toMatchObject({ ledgerEntries: 20, auditEvents: 50 });

    // The lifecycle, newest first: reinstated by staff with the note, suspended with the reason, activated.
    const history = body.statusHistory.map((change: { action: string; from: string; to: string }) => [
      change.action,
      change.from,
      change.to,
    ]);
    expect(history).toEqual([
      ['account.reinstated', 'suspended', 'active'],
      ['account.suspended', 'active', 'suspended'],
      ['account.activated', 'pending_verification', 'active'],
    ]);
    expect(body.statusHistory[0]).toMatchObject({ reason: 'Registration received.', by: { kind: 'staff' } });
    expect(body.statusHistory[1].reason).toBe('Compliance issue');
    // The owner's business details activated it (the activation rules decided).
    expect(body.statusHistory[2].by).toEqual({ kind: 'member', name: null, email: account.email });
    expect(body.suspensions).toHaveLength(1);
    expect(body.suspensions[0]).toMatchObject({
      reason: 'compliance_issue',
      details: 'Send the 10DLC registration for your campaign.',
      endNote: 'Registration received.',
    });

    const members = body.members.map((m: { email: string; role: string }) => [m.email, m.role]);
    expect(members).toEqual([
      [account.email, 'owner'],
      [developer.email, 'developer'],
    ]);
    expect(body.members[0].twoFactor).toEqual({ phone: true, authenticatorApp: false });
    expect(body.members.map((m: { lastSignInAt: string | null }) => m.lastSignInAt !== null)).toEqual([
      true,
      false,
    ]);

    // 10.00 funded + 25.00 credited − 0.80 for the number's first month.
    expect(body.balance).toEqual({ balanceMicros: '34200000', currency: 'USD' });
    const kinds = body.ledger.entries.map((e: { kind: string; amountMicros: string }) => [
      e.kind,
      e.amountMicros,
    ]);
    expect(kinds).toEqual([
      ['rental', '-800000'],
      ['adjustment', '25000000'],
      ['adjustment', '10000000'],
    ]);
    expect(body.ledger.total).toBe(3);

    const voice = body.usage.products.find((p: { product: string }) => p.product === 'voice');
    expect(voice).toMatchObject({ events: '3', quantity: '180', unit: 'seconds', amount: '0.03600' });
    // Today's bar of the chart: the calls and the number's first month.
    expect(body.usage.days).toEqual([{ day: body.usage.to, events: '4', amount: '0.83600' }]);
    expect(body.usage.total).toEqual({ events: '4', amount: '0.83600' });

    expect(body.numbers.total).toBe(1);
    expect(body.numbers.numbers[0]).toMatchObject({
      number,
      countryIso: 'US',
      monthlyRentalMicros: '800000',
    });

    expect(body.tickets.map((t: { number: string }) => t.number)).toEqual([ticketNumber]);
    expect(body.tickets[0]).toMatchObject({ subject: 'Calls drop after 30 seconds', status: 'open' });

    const actions = body.audit.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['account.suspended', 'account.reinstated']));
    const credit = body.audit.find((e: { action: string; by: { kind: string } }) => e.by.kind === 'staff');
    expect(credit.by.name).toBe('Sam Reviewer');

    expect(body.engineSessions).toEqual({ open: 0, heldMicros: '0', currency: 'USD' });
  });

  it('is for every staff role and never for a customer session', async () => {
    expect((await admin.get(`/api/staff/accounts/${account.accountId}`)).status).toBe(200);
    const customer = await account.client.get(`/api/staff/accounts/${account.accountId}`);
    expect(customer.status).toBe(401);
  });

  it('answers an unknown account with 404 in the console error shape', async () => {
    const unknown = await agent.get(`/api/staff/accounts/${randomUUID()}`);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ status: 404, code: 'account_not_found' });
    expect(typeof unknown.body.detail).toBe('string');
  });
});

describe('the staff account search', () => {
  const found = async (q: string) => {
    const answer = await agent.get(`/api/staff/accounts?q=${encodeURIComponent(q)}`);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return answer.body.accounts.map((a: { id: string }) => a.id);
  };

  it('finds an account by its company name', async () => {
    expect(await found(company.toUpperCase())).toEqual([account.accountId]);
  });

  it('finds the account renting a phone number, in E.164 or as digits', async () => {
    expect(await found(`+${number}`)).toEqual([account.accountId]);
    expect(await found(number)).toEqual([account.accountId]);
    expect(await found(`+${number.slice(0, 1)} ${number.slice(1, 4)} ${number.slice(4)}`)).toEqual([
      account.accountId,
    ]);
  });
});
