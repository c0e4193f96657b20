import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { money } from '../../src/lib/money.js';
import { addCredit, apiAccount, v1 } from '../support/api-account.js';
import type { ConsoleClient } from '../support/browser-client.js';
import { signInWithPhone, strongPassword } from '../support/journeys.js';
import { loadSmsPrices } from '../support/messaging.js';
import { codeIn, lastMessageTo, messagesTo } from '../support/outbox.js';
import { freshUsNumber } from '../support/phone-numbers.js';
import { startTestServer, type TestServer, twoInstances } from '../support/server.js';
import { invitedMember } from '../support/team.js';
import { savedTestCard } from '../support/test-gateway.js';

const DAY_MINUTES = 24 * 60;
const TRIAL = '5';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ TRIAL_CREDIT: TRIAL });
});
afterAll(async () => {
  await server?.stop();
});

type Account = Awaited<ReturnType<typeof apiAccount>>;

/** The Owner's confirmation: the password and a code sent to the phone. */
async function closeAsOwner(target: TestServer, owner: { client: ConsoleClient; phone: string }) {
  expect((await owner.client.post('/api/security/phone-code', { channel: 'sms' })).status).toBe(202);
  const code = codeIn((await lastMessageTo(target, owner.phone)).text);
  return owner.client.post('/api/account/closure', { password: strongPassword, method: 'phone', code });
}

async function recharge(account: Account, cardId: string, amount: string) {
  const paid = await account.client.post('/api/billing/recharges', {
    amount,
    paymentMethodId: cardId,
    requestKey: randomUUID(),
  });
  expect(paid.status, JSON.stringify(paid.body)).toBe(201);
  expect(paid.body.status).toBe('succeeded');
  return paid.body.id as string;
}

/** Usage as the engines charge it: one ledger charge. */
const spend = (accountId: string, units: string) =>
  server.system.ledger.post([
    {
      accountId,
      subaccountId: null,
      kind: 'charge',
      amount: money(-BigInt(Math.round(Number(units) * 1_000_000)), 'USD'),
      idempotencyKey: randomUUID(),
      causedBy: 'system',
    },
  ]);

const refundRows = (accountId: string) =>
  server.system.database.db
    .selectFrom('refunds')
    .select(['payment_id', 'amount_micros', 'status', 'due_on'])
    .where('account_id', '=', accountId)
    .orderBy('amount_micros', 'desc')
    .execute();

const balanceOf = async (accountId: string) => (await server.system.ledger.balance(accountId)).micros;

describe('closing an account (FAQ: "How do I close my account?")', () => {
  it('refunds what remains of the last 90 days’ recharges, newest first, never the trial credit (worked examples)', async () => {
    // A: trial 5, a recharge of 20 today, usage of 3. Balance 22: the recharge's 20 is refunded, the trial's 2 stays.
    const a = await apiAccount(server);
    const cardA = await savedTestCard(server, a.client);
    const paymentA = await recharge(a, cardA.id, '20');
    await spend(a.accountId, '3');
    const previewA = await a.client.get('/api/account/closure');
    expect(previewA.status).toBe(200);
    expect(previewA.body.refund).toMatchObject({
      amount: '$20.00',
      recentRecharges: '$20.00',
      kept: '$2.00',
    });
    expect((await closeAsOwner(server, a)).status).toBe(200);
    expect(await refundRows(a.accountId)).toEqual([
      expect.objectContaining({ payment_id: paymentA, amount_micros: 20_000_000n }),
    ]);
    expect(await balanceOf(a.accountId)).toBe(2_000_000n);

    // B: a recharge of 50 a hundred days ago, usage of 40, a recharge of 20 ten days ago. Balance 35: only the 20 is refundable.
    const b = await apiAccount(server);
    const cardB = await savedTestCard(server, b.client);
    await recharge(b, cardB.id, '50');
    server.clock.advanceMinutes(90 * DAY_MINUTES);
    try {
      await spend(b.accountId, '40');
      const bAfter90 = { ...b, client: await signInWithPhone(server, b.email, b.phone) };
      const recentB = await recharge(bAfter90, cardB.id, '20');
      server.clock.advanceMinutes(10 * DAY_MINUTES);
      const bAfter100 = { ...b, client: await signInWithPhone(server, b.email, b.phone) };
      server.clock.advanceMinutes(5); // a new phone code may be sent
      expect((await closeAsOwner(server, bAfter100)).status).toBe(200);
      expect(await refundRows(b.accountId)).toEqual([
        expect.objectContaining({ payment_id: recentB, amount_micros: 20_000_000n }),
      ]);
      expect(await balanceOf(b.accountId)).toBe(15_000_000n);
    } finally {
      // The other examples, and the tests after, start from today again.
      server.clock.advanceMinutes(-100 * DAY_MINUTES);
    }

    // C: trial 5, recharges of 10 and then 20, usage of 32. Balance 3: refunded from the newest recharge.
    const c = await apiAccount(server);
    const cardC = await savedTestCard(server, c.client);
    await recharge(c, cardC.id, '10');
    const newestC = await recharge(c, cardC.id, '20');
    await spend(c.accountId, '32');
    expect((await closeAsOwner(server, c)).status).toBe(200);
    expect(await refundRows(c.accountId)).toEqual([
      expect.objectContaining({ payment_id: newestC, amount_micros: 3_000_000n }),
    ]);

    // D: trial credit only. Nothing is refunded, and the email says so.
    const d = await apiAccount(server);
    expect((await closeAsOwner(server, d)).status).toBe(200);
    expect(await refundRows(d.accountId)).toEqual([]);
    expect(await balanceOf(d.accountId)).toBe(5_000_000n);
    const closedMail = (await messagesTo(server, d.email)).find((m) => m.subject.endsWith('is closed'));
    expect(closedMail?.text).toContain('Nothing is refunded');
  });

  it('issues the refund through the gateway that took the recharge and emails its status; the gateway’s refund event is no second debit', async () => {
    const account = await apiAccount(server);
    const card = await savedTestCard(server, account.client);
    const paymentId = await recharge(account, card.id, '30');
    await spend(account.accountId, '4');
    const closed = await closeAsOwner(server, account);
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    expect(closed.body.refund.amount).toBe('$30.00');
    // 20 business days on, weekends and the operator's holidays skipped.
    expect(closed.body.refund.dueOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const mail = (await messagesTo(server, account.email)).find((m) => m.subject.endsWith('is closed'));
    expect(mail?.text).toContain(`A refund of $30.00`);
    expect(mail?.text).toContain(closed.body.refund.dueOn);

    await server.system.jobs.drain();
    expect(await refundRows(account.accountId)).toEqual([expect.objectContaining({ status: 'issued' })]);
    const issued = (await messagesTo(server, account.email)).find((m) =>
      m.subject.startsWith('Refund of $30.00'),
    );
    expect(issued?.text).toContain(`ending ${card.last4}`);
    const payment = await server.system.payments.store.payment(paymentId);
    const intent = await server.system.database.db
      .selectFrom('test_gateway_intents')
      .select(['status', 'amount_refunded_minor'])
      .where('ref', '=', payment?.gateway_ref as string)
      .executeTakeFirstOrThrow();
    expect(intent).toEqual({ status: 'refunded', amount_refunded_minor: 3000n });

    // The gateway now calls the payment refunded: asking it again posts no reversal.
    const before = await balanceOf(account.accountId);
    await server.system.payments.onGatewayEvent({ paymentId });
    expect(await balanceOf(account.accountId)).toBe(before);
    expect(before).toBe(1_000_000n);
  });

  it('deletes applications, endpoints, subaccounts and logs, releases numbers to the inventory, and ends access', async () => {
    const owner = await apiAccount(server);
    await addCredit(server, owner.accountId, '10');
    const developer = await invitedMember(server, owner.client, 'developer');
    const subaccount = await server.system.subaccounts.create(
      { ip: '127.0.0.1', userAgent: null, userId: null },
      owner.accountId,
      { name: 'Regional team', enabled: true },
    );
    const app = await v1(server, owner, 'POST', `/Account/${owner.authId}/Application/`, {
      body: { app_name: 'ivr', answer_url: 'https://example.com/answer' },
    });
    expect(app.status, JSON.stringify(app.body)).toBeLessThan(300);
    const endpoint = await v1(server, owner, 'POST', `/Account/${owner.authId}/Endpoint/`, {
      body: { username: 'desk', password: 'Desk-Phone-Secret-9', alias: 'Desk' },
    });
    expect(endpoint.status, JSON.stringify(endpoint.body)).toBeLessThan(300);
    const number = freshUsNumber();
    await server.system.numbers.load(
      { ip: 'test', userAgent: null },
      `number,country_iso,type,region,voice,sms,monthly_rental\n${number},US,local,"California, UNITED STATES",true,true,0.8\n`,
    );
    expect((await owner.client.post(`/api/numbers/${number}`, {})).status).toBe(201);
    await loadSmsPrices(server);
    // A message waiting in the queue holds its cost until it goes.
    await server.system.messageDispatcher.stop();
    const message = await v1(server, owner, 'POST', `/Account/${owner.authId}/Message/`, {
      body: { src: number, dst: '14155550100', text: 'Still queued at closing' },
    });
    expect(message.status, JSON.stringify(message.body)).toBe(202);
    expect((await server.system.credit.state(owner.accountId)).heldMicros).toBe(6_500n);
    await server.system.requestLog.flush();

    // Only the Owner, and only with the password and a second factor.
    expect((await developer.client.get('/api/account/closure')).status).toBe(403);
    expect(
      (
        await developer.client.post('/api/account/closure', {
          password: strongPassword,
          method: 'phone',
          code: '000000',
        })
      ).status,
    ).toBe(403);
    expect((await owner.client.post('/api/security/phone-code', { channel: 'sms' })).status).toBe(202);
    const wrongCode = await owner.client.post('/api/account/closure', {
      password: strongPassword,
      method: 'phone',
      code: '000000',
    });
    expect(wrongCode.status).toBe(400);
    const preview = await owner.client.get('/api/account/closure');
    expect(preview.body).toMatchObject({
      applications: 1,
      endpoints: 1,
      numbers: 1,
      subaccounts: 1,
      members: 2,
      blockers: [],
    });

    expect((await v1(server, owner, 'GET', `/Account/${owner.authId}/`)).status).toBe(200);
    const key = await server.system.apiKeys.create({ ip: 'test', userAgent: null }, owner.accountId, {
      name: 'Integration',
      fullAccess: true,
    });
    const webhook = await owner.client.put('/api/audit/webhook', { url: 'http://127.0.0.1:9/hooks/audit' });
    expect(webhook.status, JSON.stringify(webhook.body)).toBe(200);
    server.clock.advanceMinutes(5); // a new phone code may be sent
    const closed = await closeAsOwner(server, owner);
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    expect(closed.body.removed).toMatchObject({
      applications: 1,
      endpoints: 1,
      numbers: 1,
      subaccounts: 1,
      messages: 1,
      calls: 0,
      apiKeys: 1,
      auditWebhook: 1,
    });
    // Nothing more is posted to the audit webhook: it is gone with the account.
    expect((await server.system.auditEvents.webhook(owner.accountId)).url).toBeNull();
    expect(
      (await v1(server, { authId: key.keyId, authToken: key.secret }, 'GET', `/Account/${owner.authId}/`))
        .status,
    ).toBe(401);
    expect((await server.system.credit.state(owner.accountId)).heldMicros).toBe(0n);
    server.system.messageDispatcher.start();
    expect(closed.body.removed.apiLogs).toBeGreaterThan(0);

    // Access ends at once: the API, the subaccount's credentials, every console session, sign-in.
    const refused = await v1(server, owner, 'GET', `/Account/${owner.authId}/`);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toContain('closed');
    expect((await v1(server, subaccount, 'GET', `/Account/${subaccount.authId}/`)).status).not.toBe(200);
    expect((await owner.client.get('/api/me')).status).toBe(401);
    expect((await developer.client.get('/api/me')).status).toBe(401);
    const signIn = await new (owner.client.constructor as new (url: string) => ConsoleClient)(
      server.url,
    ).post('/api/session', { email: developer.email, password: strongPassword });
    expect(signIn.status).toBe(403);
    expect(signIn.body.code).toBe('account_closed');

    // What the FAQ says goes is gone; the number is back in the inventory.
    const db = server.system.database.db;
    const count = async (table: 'applications' | 'endpoints') =>
      Number(
        (
          await db
            .selectFrom(table)
            .select(({ fn }) => fn.countAll<string>().as('n'))
            .where('account_id', '=', owner.accountId)
            .executeTakeFirstOrThrow()
        ).n,
      );
    expect(await count('applications')).toBe(0);
    expect(await count('endpoints')).toBe(0);
    const released = await db
      .selectFrom('numbers')
      .select(['account_id'])
      .where('number', '=', number)
      .executeTakeFirstOrThrow();
    expect(released.account_id).toBeNull();
    const logs = await db
      .selectFrom('api_request_batches')
      .select('account_id')
      .where('account_id', '=', owner.accountId)
      .execute();
    expect(logs).toEqual([]);
    // The ledger and the audit trail stay, for staff; the Auth ID stays the closed account's.
    expect(
      (await db.selectFrom('ledger_entries').select('id').where('account_id', '=', owner.accountId).execute())
        .length,
    ).toBeGreaterThan(0);
    const audit = await db
      .selectFrom('audit_events')
      .select('action')
      .where('account_id', '=', owner.accountId)
      .where('action', '=', 'account.closed')
      .execute();
    expect(audit).toHaveLength(1);
    const row = await db
      .selectFrom('accounts')
      .select(['auth_id', 'status', 'closed_at'])
      .where('id', '=', owner.accountId)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ auth_id: owner.authId, status: 'closed' });
    expect(row.closed_at).not.toBeNull();
    // A second closure is refused: a closed account stays closed.
    await expect(
      server.system.closure.close({ ip: 'test', userAgent: null }, owner.accountId, 'owner', 'again'),
    ).rejects.toMatchObject({ status: 409 });
  });

  it('is refused while a payment is in progress, and changes nothing', async () => {
    const account = await apiAccount(server);
    const card = await savedTestCard(server, account.client, '4000002500003155');
    const pending = await account.client.post('/api/billing/recharges', {
      amount: '20',
      paymentMethodId: card.id,
      requestKey: randomUUID(),
    });
    expect(pending.body.status, JSON.stringify(pending.body)).toBe('requires_action');
    const preview = await account.client.get('/api/account/closure');
    expect(preview.body.blockers).toHaveLength(1);
    const refused = await closeAsOwner(server, account);
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('closure_blocked');
    expect(refused.body.detail).toContain('Billing > Payment Settings');
    expect((await v1(server, account, 'GET', `/Account/${account.authId}/`)).status).toBe(200);
  });

  it('lets staff close a suspended account with a note; the suspension ends with it', async () => {
    const account = await apiAccount(server);
    await server.system.suspensions.suspend(
      { ip: 'test', userAgent: null, staffId: null },
      account.accountId,
      { reason: 'compliance_issue', details: 'Documents missing.' },
      'system',
    );
    const closed = await server.system.closure.close(
      { ip: 'test', userAgent: null },
      account.accountId,
      'staff',
      'Compliance documents never arrived',
    );
    expect(closed.refund.amount).toBe('$0.00');
    const suspension = await server.system.database.db
      .selectFrom('account_suspensions')
      .select(['ended_at', 'end_note'])
      .where('account_id', '=', account.accountId)
      .executeTakeFirstOrThrow();
    expect(suspension.ended_at).not.toBeNull();
    expect(suspension.end_note).toContain('Account closed');
  });
});

const shared = process.env.TEST_TARGET === 'postgres';

describe.runIf(shared)('closing an account on two instances', () => {
  const instances = twoInstances();

  it('ends access on both at once: the API and every member’s session', async () => {
    const owner = await apiAccount(instances.first);
    const member = await invitedMember(instances.first, owner.client, 'admin');
    const memberOnSecond = await signInWithPhone(instances.second, member.email, member.phone);
    expect((await v1(instances.second, owner, 'GET', `/Account/${owner.authId}/`)).status).toBe(200);
    expect((await memberOnSecond.get('/api/me')).status).toBe(200);

    expect((await closeAsOwner(instances.first, owner)).status).toBe(200);

    await expect
      .poll(async () => (await v1(instances.second, owner, 'GET', `/Account/${owner.authId}/`)).status)
      .toBe(403);
    expect((await memberOnSecond.get('/api/me')).status).toBe(401);
  });
});
