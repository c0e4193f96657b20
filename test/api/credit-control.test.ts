import { createHmac, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreditErrors } from '../../src/modules/credit-control/errors.js';
import { addCredit, apiAccount, v1 } from '../support/api-account.js';
import { testTarget } from '../support/database.js';
import { loadTestPrices, testEngine } from '../support/engine-usage.js';
import { messagesTo } from '../support/outbox.js';
import { freshUsNumber } from '../support/phone-numbers.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * Real-time credit control through the engine door: sessions hold the free credit an interval at a
 * time, never more than it under concurrency, end as charged usage, expire, are renewed from a
 * top-up and are disconnected through a signed, retried webhook; limits and subaccount spend caps
 * refuse what they should; renting a number needs credit (402) while reads go on.
 */
let server: TestServer;
let engine: { engineId: string; key: string };
const US = '+12125550123';
/** 0.012 a minute, 60/60: one interval (60 s) holds 0.012. */
const INTERVAL_MICROS = 12_000n;

async function engineCall(path: string, body: unknown) {
  const response = await fetch(`${server.url}/api/engine${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${engine.key}` },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

const open = (account: string, fields: Record<string, unknown> = {}) =>
  engineCall('/sessions', {
    id: randomUUID(),
    account,
    product: 'voice',
    direction: 'outbound',
    from: '+14155550100',
    to: US,
    ...fields,
  });

const credit = (accountId: string, amount: string) => addCredit(server, accountId, amount);

async function heldMicros(accountId: string) {
  const row = await server.system.database.db
    .selectFrom('accounts')
    .select(['held_micros', 'balance_micros'])
    .where('id', '=', accountId)
    .executeTakeFirstOrThrow();
  return { held: BigInt(row.held_micros), balance: BigInt(row.balance_micros) };
}

const sessionRow = (sessionId: string) =>
  server.system.database.db
    .selectFrom('credit_sessions')
    .selectAll()
    .where('session_id', '=', sessionId)
    .executeTakeFirstOrThrow();

/** A limits row with nothing set; a test sets what it checks. */
const noLimits = {
  max_sessions: null,
  max_destination_rate_micros: null,
  daily_spend_cap_micros: null,
  monthly_spend_cap_micros: null,
};

async function ledgerMatches(accountId: string) {
  const mismatches = await server.system.ledger.verify();
  expect(mismatches.filter((m) => m.accountId === accountId)).toEqual([]);
}

beforeAll(async () => {
  server = await startTestServer();
  // The renewal and expiry jobs run when a test says so, not on the runner's timer.
  await server.system.jobs.stop();
  server.clock.freeze();
  await loadTestPrices(server, [
    { country_iso: 'US', product: 'voice', direction: 'outbound', rate_micros: 12_000n },
    { country_iso: 'US', product: 'sms', direction: 'outbound', rate_micros: 5_000n },
    {
      country_iso: 'GB',
      product: 'voice',
      direction: 'outbound',
      rate_micros: 60_000n,
      initial_increment: 1,
      subsequent_increment: 1,
    },
  ]);
  engine = await testEngine(server);
}, 120_000);
afterAll(() => server.stop());

describe('engine sessions', () => {
  it('lets a call the free credit buys less than an interval of go, holding all it buys, and refuses one it cannot buy a first increment of', async () => {
    const account = await apiAccount(server);
    // 0.03 at 0.06 a minute by the second: 30 s, half an interval.
    await credit(account.accountId, '0.03');
    const opened = await open(account.authId, { to: '+442071838750' });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    expect(opened.body.max_seconds).toBe(30);
    expect(await heldMicros(account.accountId)).toEqual({ held: 30_000n, balance: 30_000n });
    const refused = await open(account.authId, { to: '+442071838750' });
    expect(refused.status).toBe(402);
    // A first increment of 60 s at 0.012 (US) costs more than the 0.01 this account has.
    const other = await apiAccount(server);
    await credit(other.accountId, '0.01');
    expect((await open(other.authId)).status).toBe(402);
  });

  it('holds the first interval, answers what the free credit buys, and ends as charged usage releasing the hold (idempotent)', async () => {
    const account = await apiAccount(server);
    await credit(account.accountId, '0.1');
    const id = randomUUID();
    const opened = await open(account.authId, { id });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    // 0.10 buys 8 whole minutes at 0.012 (0.096); the session may run 480 s.
    expect(opened.body).toMatchObject({ allowed: true, session: id, max_seconds: 480 });
    expect(new Date(opened.body.expires_at).getTime()).toBe(server.clock.now().getTime() + (480 + 60) * 1000);
    expect(await heldMicros(account.accountId)).toEqual({ held: INTERVAL_MICROS, balance: 100_000n });
    // Opening again with the same id holds nothing more.
    expect((await open(account.authId, { id })).body).toEqual(opened.body);
    expect((await heldMicros(account.accountId)).held).toBe(INTERVAL_MICROS);

    const ended = await engineCall(`/sessions/${id}/end`, { seconds: 61 });
    expect(ended.status, JSON.stringify(ended.body)).toBe(200);
    // 61 s bills 120 s: 0.024.
    expect(ended.body).toEqual({
      session: id,
      status: 'ended',
      quantity: 61,
      amount: '0.02400',
      flagged: false,
    });
    expect(await heldMicros(account.accountId)).toEqual({ held: 0n, balance: 76_000n });
    expect((await engineCall(`/sessions/${id}/end`, { seconds: 61 })).body).toEqual(ended.body);
    expect(await heldMicros(account.accountId)).toEqual({ held: 0n, balance: 76_000n });
    const record = await server.system.database.db
      .selectFrom('usage_records')
      .select(['amount_micros', 'quantity', 'billed_quantity'])
      .where('engine_id', '=', engine.engineId)
      .where('event_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(record).toEqual({ amount_micros: 24_000n, quantity: 61n, billed_quantity: 120n });
    await ledgerMatches(account.accountId);
  });

  it('holds message units and refuses what the credit cannot pay (402 with the reason)', async () => {
    const account = await apiAccount(server);
    await credit(account.accountId, '0.012');
    const sms = await open(account.authId, { product: 'sms', units: 2 });
    expect(sms.status).toBe(201);
    expect(sms.body.max_units).toBe(2);
    const refused = await open(account.authId, { product: 'sms', units: 1 });
    expect(refused.status).toBe(402);
    expect(refused.body).toMatchObject({ allowed: false, error: CreditErrors.outOfCredit });
    expect(refused.body.reason).toMatch(/out of credit/);
    const done = await engineCall(`/sessions/${sms.body.session}/end`, { units: 2 });
    expect(done.body.amount).toBe('0.01000');
    expect(await heldMicros(account.accountId)).toEqual({ held: 0n, balance: 2_000n });
  });

  it('never holds more than the free credit: 200 sessions at once against credit for 50', async () => {
    const account = await apiAccount(server);
    await credit(account.accountId, '0.6');
    const answers = await Promise.all(Array.from({ length: 200 }, () => open(account.authId)));
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(50);
    expect(statuses.filter((status) => status === 402)).toHaveLength(150);
    expect(answers.every((a) => a.status === 201 || a.body.error === CreditErrors.outOfCredit)).toBe(true);
    expect(await heldMicros(account.accountId)).toEqual({ held: 600_000n, balance: 600_000n });
  });

  it('ends a session neither extended nor ended by its expiry at its held amount, flagged', async () => {
    const account = await apiAccount(server);
    await credit(account.accountId, '1');
    const opened = await open(account.authId);
    server.clock.advanceMilliseconds(
      Date.parse(opened.body.expires_at) - server.clock.now().getTime() + 1000,
    );
    expect(await server.system.credit.expireDue()).toBeGreaterThanOrEqual(1);
    expect(await sessionRow(opened.body.session)).toMatchObject({
      status: 'expired',
      flagged: true,
      charged_micros: INTERVAL_MICROS,
    });
    expect(await heldMicros(account.accountId)).toEqual({ held: 0n, balance: 1_000_000n - INTERVAL_MICROS });
    // The engine's late end changes nothing.
    const late = await engineCall(`/sessions/${opened.body.session}/end`, { seconds: 3000 });
    expect(late.body).toMatchObject({ status: 'expired', amount: '0.01200', flagged: true });
    await ledgerMatches(account.accountId);
  });

  it('disconnects a call whose next interval cannot be held: a signed webhook, retried until the engine acknowledges it', async () => {
    const deliveries: { headers: http.IncomingHttpHeaders; body: string }[] = [];
    const standIn = http.createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        deliveries.push({ headers: request.headers, body });
        // The first attempt fails: Switchboard must try again.
        response.writeHead(deliveries.length === 1 ? 500 : 200).end();
      });
    });
    await new Promise<void>((resolve) => standIn.listen(0, '127.0.0.1', resolve));
    const { port } = standIn.address() as AddressInfo;
    try {
      const { signingSecret } = await server.system.engines.setDisconnectUrl(
        { ip: 'test', userAgent: null },
        engine.engineId,
        `http://127.0.0.1:${port}/disconnect`,
      );
      const account = await apiAccount(server);
      await credit(account.accountId, '0.018'); // one interval and a half
      const opened = await open(account.authId);
      expect(opened.body.max_seconds).toBe(60);
      server.clock.advanceMilliseconds(40_000);
      await server.system.credit.renewHolds();
      expect(await sessionRow(opened.body.session)).toMatchObject({ renewal_short: true, covered: 60n });
      expect(deliveries).toHaveLength(0);

      server.clock.advanceMilliseconds(21_000); // the cover (60 s) has run out
      await server.system.credit.renewHolds();
      await server.system.jobs.drain();
      expect(deliveries).toHaveLength(1);
      server.clock.advanceMilliseconds(3_000); // past the retry's backoff
      await server.system.jobs.drain();
      expect(deliveries).toHaveLength(2);

      for (const delivery of deliveries) {
        const timestamp = delivery.headers['x-switchboard-timestamp'] as string;
        const expected = createHmac('sha256', signingSecret)
          .update(`${timestamp}.${delivery.body}`)
          .digest('hex');
        expect(delivery.headers['x-switchboard-signature']).toBe(`v1=${expected}`);
        // Fresh: within five minutes of the (test) clock.
        expect(Math.abs(Number(timestamp) * 1000 - server.clock.now().getTime())).toBeLessThan(300_000);
      }
      expect(JSON.parse(deliveries[1]?.body as string)).toMatchObject({
        event: 'sessions.disconnect',
        account: account.authId,
        reason: CreditErrors.outOfCredit,
        sessions: [opened.body.session],
      });
      // Asked once: the next renewal does not ask again.
      await server.system.credit.renewHolds();
      await server.system.jobs.drain();
      expect(deliveries).toHaveLength(2);
      // The engine ends the call: charged for what it used, to the increment.
      const ended = await engineCall(`/sessions/${opened.body.session}/end`, { seconds: 62 });
      expect(ended.body.amount).toBe('0.02400');
      expect(await heldMicros(account.accountId)).toEqual({ held: 0n, balance: 18_000n - 24_000n });
      await ledgerMatches(account.accountId);
    } finally {
      standIn.close();
    }
  });

  it('extends a call from a top-up made during it: the next interval is held and the engine’s bound is raised', async () => {
    const account = await apiAccount(server);
    await credit(account.accountId, '0.018');
    const opened = await open(account.authId);
    expect(opened.body.max_seconds).toBe(60);
    server.clock.advanceMilliseconds(40_000);
    await server.system.credit.renewHolds();
    expect((await sessionRow(opened.body.session)).renewal_short).toBe(true);

    await credit(account.accountId, '1');
    await server.system.jobs.drain();
    const renewed = await sessionRow(opened.body.session);
    expect(renewed).toMatchObject({ renewal_short: false, covered: 100n, disconnect_requested_at: null });
    const extended = await engineCall(`/sessions/${opened.body.session}/extend`, { used_seconds: 50 });
    expect(extended.status).toBe(200);
    expect(extended.body.max_seconds).toBeGreaterThan(60 * 60);
    server.clock.advanceMilliseconds(30_000);
    await server.system.credit.renewHolds();
    expect((await sessionRow(opened.body.session)).disconnect_requested_at).toBeNull();
  });
});

describe('limits beyond credit', () => {
  it('refuses a session over the account’s concurrent limit, and a destination priced above its highest rate (403)', async () => {
    const account = await apiAccount(server);
    await credit(account.accountId, '5');
    await server.system.credit.saveLimits(
      account.accountId,
      { ...noLimits, max_sessions: 2, max_destination_rate_micros: 10_000n },
      'staff:test',
    );
    const voice = await open(account.authId);
    expect(voice.status).toBe(403);
    expect(voice.body.error).toBe(CreditErrors.destinationRateAboveLimit);
    const first = await open(account.authId, { product: 'sms' });
    const second = await open(account.authId, { product: 'sms' });
    expect([first.status, second.status]).toEqual([201, 201]);
    const third = await open(account.authId, { product: 'sms' });
    expect(third.status).toBe(403);
    expect(third.body).toMatchObject({ allowed: false, error: CreditErrors.tooManySessions });
    await engineCall(`/sessions/${first.body.session}/end`, { units: 1 });
    expect((await open(account.authId, { product: 'sms' })).status).toBe(201);
  });

  it('treats a subaccount at its spend cap as out of credit while its sibling goes on, and alerts at 80%', async () => {
    const account = await apiAccount(server);
    await credit(account.accountId, '5');
    const capped = (await account.client.post('/api/subaccounts', { name: 'Capped', enabled: true })).body;
    const sibling = (await account.client.post('/api/subaccounts', { name: 'Sibling', enabled: true })).body;
    await server.system.credit.saveLimits(
      capped.id,
      { ...noLimits, daily_spend_cap_micros: 30_000n },
      'member:test',
    );
    const call = await open(capped.authId);
    expect(call.status).toBe(201);
    await engineCall(`/sessions/${call.body.session}/end`, { seconds: 120 }); // 0.024 of 0.03
    const refused = await open(capped.authId);
    expect(refused.status).toBe(402);
    expect(refused.body.error).toBe(CreditErrors.spendCapReached);
    expect((await open(sibling.authId)).status).toBe(201);
    expect((await open(account.authId)).status).toBe(201);

    expect(await server.system.credit.alertSpendCaps()).toBe(1);
    expect(await server.system.credit.alertSpendCaps()).toBe(0);
    const alerts = (await messagesTo(server, account.email)).filter((m) => m.subject.includes('spend cap'));
    expect(alerts.map((m) => m.subject)).toEqual(['Subaccount Capped has used 80% of its daily spend cap']);
  });
});

describe('decisions that arrive together (one transaction for many)', () => {
  /** Openings and endings handed to the service in one turn, so they are decided in one group. */
  const openNow = (authId: string, fields: Record<string, unknown> = {}) =>
    server.system.credit.open(engine.engineId, {
      id: randomUUID(),
      account: authId,
      product: 'voice',
      direction: 'outbound',
      from: '+14155550100',
      to: US,
      ...fields,
    });
  const openingsNow = (authId: string, count: number) =>
    Promise.all(Array.from({ length: count }, () => openNow(authId)));
  const allowed = (answers: { allowed: boolean }[]) => answers.filter((answer) => answer.allowed).length;
  const refusedFor = (answers: Awaited<ReturnType<typeof openNow>>[], error: string) =>
    answers.filter((answer) => !answer.allowed && answer.error === error).length;

  it('counts the group’s own openings and endings against the concurrent-session limit', async () => {
    const account = await apiAccount(server);
    await credit(account.accountId, '5');
    await server.system.credit.saveLimits(account.accountId, { ...noLimits, max_sessions: 3 }, 'staff:test');
    const first = await openingsNow(account.authId, 20);
    expect(allowed(first)).toBe(3);
    expect(refusedFor(first, CreditErrors.tooManySessions)).toBe(17);
    // Ending the three and opening five more in the same turn: the endings come first, so three open.
    const sessions = first.flatMap((answer) => (answer.allowed ? [answer.session] : []));
    const [ended, opened] = await Promise.all([
      Promise.all(sessions.map((id) => server.system.credit.end(engine.engineId, id, { seconds: 30 }))),
      openingsNow(account.authId, 5),
    ]);
    expect(ended.map((answer) => answer.amount)).toEqual(['0.01200', '0.01200', '0.01200']);
    expect(allowed(opened)).toBe(3);
    expect((await heldMicros(account.accountId)).held).toBe(3n * INTERVAL_MICROS);
    await ledgerMatches(account.accountId);
  });

  it('holds no more than a subaccount’s cap leaves, and counts what the group’s endings charged as spent', async () => {
    const account = await apiAccount(server);
    await credit(account.accountId, '5');
    const capped = (await account.client.post('/api/subaccounts', { name: 'Capped', enabled: true })).body;
    await server.system.credit.saveLimits(
      capped.id,
      { ...noLimits, daily_spend_cap_micros: 50_000n },
      'member:test',
    );
    // 0.05 holds four intervals of 0.012.
    const first = await openingsNow(capped.authId, 10);
    expect(allowed(first)).toBe(4);
    expect(refusedFor(first, CreditErrors.spendCapReached)).toBe(6);
    // Three end after two minutes each (0.072 charged in all, over the cap): nothing more opens, the
    // main account still does.
    const sessions = first.flatMap((answer) => (answer.allowed ? [answer.session] : []));
    const [, again, main] = await Promise.all([
      Promise.all(
        sessions.slice(0, 3).map((id) => server.system.credit.end(engine.engineId, id, { seconds: 120 })),
      ),
      openingsNow(capped.authId, 3),
      openNow(account.authId),
    ]);
    expect(allowed(again)).toBe(0);
    expect(main.allowed).toBe(true);
    await ledgerMatches(account.accountId);
  });

  it('answers each decision of a group on its own: an unknown session or a bad ending refuses only itself', async () => {
    const account = await apiAccount(server);
    await credit(account.accountId, '1');
    const call = await openNow(account.authId);
    const sms = await openNow(account.authId, { product: 'sms' });
    if (!call.allowed || !sms.allowed) throw new Error('the sessions should open');
    const outcomes = await Promise.allSettled([
      server.system.credit.end(engine.engineId, 'never-opened', { seconds: 1 }),
      server.system.credit.end(engine.engineId, sms.session, { seconds: 10 }),
      server.system.credit.end(engine.engineId, call.session, { seconds: 61 }),
      openNow(account.authId),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual([
      'rejected',
      'rejected',
      'fulfilled',
      'fulfilled',
    ]);
    const reasons = outcomes.flatMap((outcome) =>
      outcome.status === 'rejected' ? [(outcome.reason as { code: string }).code] : [],
    );
    expect(reasons).toEqual([CreditErrors.sessionNotFound, CreditErrors.invalidSession]);
    expect((await sessionRow(sms.session)).status).toBe('open');
    expect(BigInt((await sessionRow(call.session)).charged_micros ?? -1)).toBe(24_000n);
    await ledgerMatches(account.accountId);
  });
});

describe.runIf(testTarget === 'postgres')(
  'a call extended and ended at once (row locks wait on PostgreSQL only)',
  () => {
    it('finishes both in one order of locks while its account is held elsewhere: the call ends once, charged', async () => {
      const account = await apiAccount(server);
      await credit(account.accountId, '1');
      const opened = await open(account.authId);
      expect(opened.status).toBe(201);
      const holder = new pg.Client({ connectionString: server.config.databaseUrl });
      await holder.connect();
      try {
        // Another transaction holds the account's row (a recharge, say) while the engine extends and ends the call.
        await holder.query('BEGIN');
        await holder.query('SELECT id FROM accounts WHERE id = $1 FOR NO KEY UPDATE', [account.accountId]);
        const extended = engineCall(`/sessions/${opened.body.session}/extend`, { used_seconds: 30 });
        const ended = engineCall(`/sessions/${opened.body.session}/end`, { seconds: 45 });
        // Both wait: one for the account, the other for the session the first holds. Locked in
        // different orders (the account first, then the session, or the other way) they would wait on
        // each other in a cycle once the account is free, and PostgreSQL would refuse one (40P01).
        await expect
          .poll(
            async () =>
              (
                await holder.query<{ n: number }>(
                  `SELECT count(*)::int AS n FROM pg_stat_activity
                 WHERE datname = current_database() AND wait_event_type = 'Lock'`,
                )
              ).rows[0]?.n,
            { timeout: 10_000 },
          )
          .toBeGreaterThanOrEqual(2);
        await holder.query('COMMIT');
        const answers = await Promise.all([extended, ended]);
        expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
      } finally {
        await holder.end();
      }
      expect(await sessionRow(opened.body.session)).toMatchObject({
        status: 'ended',
        quantity: 45n,
        charged_micros: INTERVAL_MICROS,
      });
      expect((await heldMicros(account.accountId)).held).toBe(0n);
      await ledgerMatches(account.accountId);
    });
  },
);

describe('out of credit on the /v1 API', () => {
  it('refuses renting a number with 402 saying how to recharge, keeps reads working, and rents once credit returns', async () => {
    const account = await apiAccount(server);
    const number = freshUsNumber();
    await server.system.numbers.load(
      { ip: 'test', userAgent: null },
      `number,country_iso,type,region,voice,sms,monthly_rental\n${number},US,local,"California, UNITED STATES",true,true,0.8\n`,
    );
    const rent = () =>
      v1(server, account, 'POST', `/Account/${account.authId}/PhoneNumber/${number}/`, { body: {} });
    const refused = await rent();
    expect(refused.status).toBe(402);
    expect(refused.body.error).toMatch(/out of credit.*Recharge in Billing > Payment Settings/);
    expect((await v1(server, account, 'GET', `/Account/${account.authId}/`)).status).toBe(200);
    expect((await v1(server, account, 'GET', `/Account/${account.authId}/Number/`)).body.objects).toEqual([]);

    await credit(account.accountId, '1');
    expect((await rent()).status).toBe(200);
    expect((await heldMicros(account.accountId)).balance).toBe(200_000n);
  });
});
