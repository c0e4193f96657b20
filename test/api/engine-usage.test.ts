import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineErrors, UsageRejections } from '../../src/modules/billing/errors.js';
import { apiAccount } from '../support/api-account.js';
import { loadTestPrices, postUsage, testEngine } from '../support/engine-usage.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * The engine door's usage API over HTTP: events rated at the price in force and charged once to the
 * main account's ledger (carrying the subaccount), duplicates, every rejection, refused batches and
 * keys, and the balance equal to the ledger's sum afterwards.
 */
let server: TestServer;
let engine: { engineId: string; key: string };

const US = '+14155550123';
const at = '2026-11-15T20:00:00Z';
const event = (fields: Record<string, unknown> = {}) => ({
  id: randomUUID(),
  product: 'voice',
  direction: 'outbound',
  from: '+14155550100',
  to: US,
  quantity: 61,
  started_at: at,
  ...fields,
});

async function balanceMicros(accountId: string) {
  return (await server.system.ledger.balance(accountId)).micros;
}

async function ledgerOf(accountId: string) {
  return server.system.database.db
    .selectFrom('ledger_entries')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('id')
    .execute();
}

beforeAll(async () => {
  server = await startTestServer();
  await loadTestPrices(server, [
    // 0.012 a minute, 60/60: 61 s bills 120 s = 0.024
    { country_iso: 'US', product: 'voice', direction: 'outbound', rate_micros: 12_000n },
    // San Francisco's 415 costs less, with a connect fee, in 30/6 increments
    {
      country_iso: 'US',
      product: 'voice',
      direction: 'outbound',
      prefix: '1415',
      rate_micros: 6_000n,
      connect_fee_micros: 1_000n,
      initial_increment: 30,
      subsequent_increment: 6,
    },
    { country_iso: 'US', product: 'voice', direction: 'inbound', rate_micros: 8_500n },
    { country_iso: 'US', product: 'sms', direction: 'outbound', rate_micros: 5_000n },
    { country_iso: 'US', product: 'sms', direction: 'inbound', rate_micros: 0n },
  ]);
  engine = await testEngine(server);
}, 120_000);
afterAll(() => server.stop());

describe('POST /api/engine/usage', () => {
  it('charges voice at the longest prefix in force (connect fee, increments) and SMS per segment', async () => {
    const account = await apiAccount(server);
    const events = [
      // 1415: connect 0.001 + 30/6 increments: 61 s bills 66 s at 0.006/min = 0.0066 → 0.0076
      event({ account: account.authId, quantity: 61 }),
      // the US default: 61 s bills 120 s at 0.012/min = 0.024
      event({ account: account.authId, to: '+12125550123', quantity: 61 }),
      // 3 segments at 0.005
      event({ account: account.authId, product: 'sms', to: '+12125550123', quantity: 3 }),
      // a call that never connected costs nothing
      event({ account: account.authId, to: '+12125550123', quantity: 0 }),
      // inbound is priced by the account's own number (to)
      event({ account: account.authId, direction: 'inbound', from: '+12125550123', to: US, quantity: 60 }),
    ];
    const answer = await postUsage(server, engine.key, { events });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.events).toEqual([
      { id: events[0]?.id, status: 'charged', amount: '0.00760', reason: null },
      { id: events[1]?.id, status: 'charged', amount: '0.02400', reason: null },
      { id: events[2]?.id, status: 'charged', amount: '0.01500', reason: null },
      { id: events[3]?.id, status: 'charged', amount: '0.00000', reason: null },
      { id: events[4]?.id, status: 'charged', amount: '0.00850', reason: null },
    ]);
    expect(await balanceMicros(account.accountId)).toBe(-55_100n);

    const [entry, ...more] = await ledgerOf(account.accountId);
    expect(more).toEqual([]);
    const records = await server.system.database.db
      .selectFrom('usage_records')
      .select(['event_id', 'batch_id', 'billed_quantity', 'prefix', 'country_iso', 'amount_micros'])
      .where('account_id', '=', account.accountId)
      .execute();
    expect(records).toHaveLength(5);
    const batchId = records[0]?.batch_id;
    expect(entry).toMatchObject({
      kind: 'charge',
      amount_micros: -55_100n,
      subaccount_id: null,
      caused_by: `engine:${engine.engineId}`,
      reference: batchId,
      idempotency_key: `usage:${batchId}:main`,
    });
    expect(records.find((record) => record.event_id === events[0]?.id)).toMatchObject({
      billed_quantity: 66n,
      prefix: '1415',
      country_iso: 'US',
      amount_micros: 7_600n,
    });
  });

  it('answers an id sent twice in one batch, or again later with other content, as a duplicate that charges nothing', async () => {
    const account = await apiAccount(server);
    const first = event({ account: account.authId, to: '+12125550123' });
    const twice = await postUsage(server, engine.key, { events: [first, { ...first, quantity: 600 }] });
    expect(twice.status).toBe(200);
    expect(twice.body.events.map((outcome: { status: string }) => outcome.status)).toEqual([
      'charged',
      'duplicate',
    ]);
    expect(twice.body.events[1]).toMatchObject({ amount: '0.00000', reason: expect.stringMatching(/batch/) });
    expect(await balanceMicros(account.accountId)).toBe(-24_000n);

    // The same id again, whatever else differs (another product, quantity, even another account).
    const other = await apiAccount(server);
    const again = await postUsage(server, engine.key, {
      events: [
        { ...first, product: 'sms', quantity: 9 },
        { ...first, account: other.authId },
      ],
    });
    expect(again.body.events).toEqual([
      { id: first.id, status: 'duplicate', amount: '0.00000', reason: expect.stringMatching(/before/) },
      { id: first.id, status: 'duplicate', amount: '0.00000', reason: expect.stringMatching(/batch/) },
    ]);
    // Even one that would be rejected now: it was charged before.
    const rejectedNow = await postUsage(server, engine.key, { events: [{ ...first, product: 'fax' }] });
    expect(rejectedNow.body.events[0].status).toBe('duplicate');
    expect(await balanceMicros(account.accountId)).toBe(-24_000n);
    expect(await balanceMicros(other.accountId)).toBe(0n);
    expect(await ledgerOf(account.accountId)).toHaveLength(1);

    // Another engine's event of the same id is its own event.
    const second = await testEngine(server);
    const fromAnother = await postUsage(server, second.key, { events: [first] });
    expect(fromAnother.body.events[0].status).toBe('charged');
    expect(await balanceMicros(account.accountId)).toBe(-48_000n);
  });

  it('rejects each event it cannot charge with its reason, and charges the rest of the batch', async () => {
    const account = await apiAccount(server);
    const cases: [Record<string, unknown>, string][] = [
      [{ account: 'MA00000000000000NONE' }, UsageRejections.unknownAccount],
      [{ account: 'not-an-auth-id' }, UsageRejections.unknownAccount],
      [{ product: 'fax' }, UsageRejections.unknownProduct],
      [{ direction: 'sideways' }, UsageRejections.unknownDirection],
      [{ number_type: 'satellite' }, UsageRejections.unknownNumberType],
      [{ to: '+447700900123' }, UsageRejections.noPrice],
      [{ product: 'mms' }, UsageRejections.noPrice],
      [{ to: 'sip:alice@example.com' }, UsageRejections.invalidNumber],
      [{ quantity: -5 }, UsageRejections.invalidQuantity],
      [{ quantity: 1.5 }, UsageRejections.invalidQuantity],
      [{ started_at: 'yesterday' }, UsageRejections.invalidTime],
      [{ started_at: '2026-02-30T10:00:00Z' }, UsageRejections.invalidTime],
      [{ started_at: '2126-01-01T00:00:00Z' }, UsageRejections.invalidTime],
      [{ started_at: '1999-12-31T23:59:59Z' }, UsageRejections.invalidTime],
    ];
    const events = cases.map(([fields]) => event({ account: account.authId, ...fields }));
    const good = event({ account: account.authId, to: '+12125550123' });
    const answer = await postUsage(server, engine.key, { events: [...events, good] });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const outcomes = answer.body.events as { id: string; status: string; amount: string; reason: string }[];
    cases.forEach(([fields, code], index) => {
      const outcome = outcomes[index];
      expect(outcome?.id).toBe(events[index]?.id);
      expect(outcome?.status, JSON.stringify(fields)).toBe('rejected');
      expect(outcome?.amount).toBe('0.00000');
      expect(outcome?.reason.startsWith(`${code}: `), `${JSON.stringify(fields)} → ${outcome?.reason}`).toBe(
        true,
      );
    });
    expect(outcomes.at(-1)).toEqual({ id: good.id, status: 'charged', amount: '0.02400', reason: null });
    expect(await balanceMicros(account.accountId)).toBe(-24_000n);

    // A rejected event was not claimed: sent again once corrected, it is charged.
    const fixed = await postUsage(server, engine.key, { events: [{ ...events[8], quantity: 5 }] });
    // 415: connect 0.001 + the first 30 s at 0.006/min.
    expect(fixed.body.events[0]).toMatchObject({ status: 'charged', amount: '0.00400' });
  });

  it('refuses a batch it cannot read as a whole with 400, saying what to fix', async () => {
    const account = await apiAccount(server);
    const oversized = Array.from({ length: 1001 }, () => event({ account: account.authId }));
    const refusals = [
      await postUsage(server, engine.key, { events: oversized }),
      await postUsage(server, engine.key, { events: [] }),
      await postUsage(server, engine.key, { batch: [event({ account: account.authId })] }),
      await postUsage(server, engine.key, { events: [{ account: account.authId, product: 'sms' }] }),
      await postUsage(server, engine.key, { events: [event({ account: account.authId, to: 'x\u0000' })] }),
    ];
    for (const refusal of refusals) {
      expect(refusal.status, JSON.stringify(refusal.body)).toBe(400);
      expect(refusal.body.error).toBe(EngineErrors.invalidBatch);
    }
    expect(refusals[0]?.body.message).toMatch(/at most 1000 events/);
    expect(refusals[3]?.body.message).toMatch(/events\.0\.id/);
    expect(await balanceMicros(account.accountId)).toBe(0n);
    expect(
      await server.system.database.db
        .selectFrom('usage_records')
        .select('event_id')
        .where('account_id', '=', account.accountId)
        .execute(),
    ).toEqual([]);
  });

  it("charges a subaccount's usage to its main account, the entry carrying the subaccount, and rolls it up by the account's day", async () => {
    const account = await apiAccount(server);
    await server.system.database.db
      .updateTable('accounts')
      .set({ timezone: 'Asia/Kolkata' })
      .where('id', '=', account.accountId)
      .execute();
    const created = await account.client.post('/api/subaccounts', { name: 'Branch' });
    expect(created.status).toBe(201);
    const sub = await server.system.database.db
      .selectFrom('accounts')
      .select(['id', 'auth_id'])
      .where('auth_id', '=', created.body.authId)
      .executeTakeFirstOrThrow();
    // 20:00 UTC is 01:30 the next day in Kolkata.
    const events = [
      event({ account: sub.auth_id, to: '+12125550123', quantity: 61 }),
      event({ account: sub.auth_id, product: 'sms', to: '+12125550123', quantity: 2 }),
      event({ account: sub.auth_id, product: 'sms', to: '+12125550123', quantity: 1 }),
      event({
        account: account.authId,
        to: '+12125550123',
        quantity: 30,
        started_at: '2026-11-15T10:00:00Z',
      }),
    ];
    const answer = await postUsage(server, engine.key, { events });
    expect(answer.body.events.map((outcome: { status: string }) => outcome.status)).toEqual([
      'charged',
      'charged',
      'charged',
      'charged',
    ]);
    const entries = await ledgerOf(account.accountId);
    expect(
      entries
        .map((entry) => ({ sub: entry.subaccount_id, amount: entry.amount_micros }))
        .sort((a, b) => (a.sub === null ? -1 : b.sub === null ? 1 : 0)),
    ).toEqual([
      { sub: null, amount: -12_000n },
      { sub: sub.id, amount: -39_000n },
    ]);
    expect(await balanceMicros(account.accountId)).toBe(-51_000n);
    expect(await balanceMicros(sub.id)).toBe(0n);
    const { rows: daily } = await sql<{
      subaccount_id: string | null;
      day: string;
      product: string;
      direction: string;
      events: bigint;
      quantity: bigint;
      amount_micros: bigint;
    }>`SELECT subaccount_id, day, product, direction, events, quantity, amount_micros FROM usage_daily
       WHERE account_id = ${account.accountId} ORDER BY subaccount_id NULLS FIRST, product`.execute(
      server.system.database.db,
    );
    expect(daily).toEqual([
      {
        subaccount_id: null,
        day: '2026-11-15',
        product: 'voice',
        direction: 'outbound',
        events: 1n,
        quantity: 30n,
        amount_micros: 12_000n,
      },
      {
        subaccount_id: sub.id,
        day: '2026-11-16',
        product: 'sms',
        direction: 'outbound',
        events: 2n,
        quantity: 3n,
        amount_micros: 15_000n,
      },
      {
        subaccount_id: sub.id,
        day: '2026-11-16',
        product: 'voice',
        direction: 'outbound',
        events: 1n,
        quantity: 61n,
        amount_micros: 24_000n,
      },
    ]);
    const record = await server.system.database.db
      .selectFrom('usage_records')
      .select(['account_id', 'subaccount_id', 'day'])
      .where('event_id', '=', events[0]?.id as string)
      .executeTakeFirstOrThrow();
    expect(record).toEqual({ account_id: account.accountId, subaccount_id: sub.id, day: '2026-11-16' });
  });

  it('lets a balance go negative and keeps it equal to the ledger’s sum (balance = ledger sum)', async () => {
    const account = await apiAccount(server);
    await server.system.ledger.post([
      {
        accountId: account.accountId,
        subaccountId: null,
        kind: 'adjustment',
        amount: { micros: 10_000n, currency: 'USD' },
        idempotencyKey: 'test-credit',
        causedBy: 'system',
      },
    ]);
    const events = Array.from({ length: 40 }, (_, i) =>
      event({ account: account.authId, to: '+12125550123', quantity: 30 + i }),
    );
    for (let i = 0; i < events.length; i += 10)
      expect((await postUsage(server, engine.key, { events: events.slice(i, i + 10) })).status).toBe(200);
    const sum = (await ledgerOf(account.accountId)).reduce((total, entry) => total + entry.amount_micros, 0n);
    expect(await balanceMicros(account.accountId)).toBe(sum);
    // 30–60 s bill one minute (31 calls), 61–69 s two (9 calls).
    expect(sum).toBe(10_000n - 31n * 12_000n - 9n * 24_000n);
    expect((await server.system.ledger.verify()).filter((m) => m.accountId === account.accountId)).toEqual(
      [],
    );
  });
});

describe('the engine door', () => {
  it('refuses a missing, malformed, unknown or revoked engine key with 401', async () => {
    const account = await apiAccount(server);
    const body = { events: [event({ account: account.authId })] };
    const revoked = await testEngine(server);
    expect((await postUsage(server, revoked.key, body)).status).toBe(200);
    await server.system.engines.revoke({ ip: 'test', userAgent: null }, revoked.engineId);
    const wrongSecret = `${engine.key.slice(0, -4)}AAAA`;
    const unknownEngine = `sbe_${randomUUID().replaceAll('-', '')}_${engine.key.slice(-43)}`;
    for (const key of [null, 'not-a-key', wrongSecret, unknownEngine, revoked.key]) {
      const refused = await postUsage(server, key, { events: [event({ account: account.authId })] });
      expect(refused.status, String(key)).toBe(401);
      expect(refused.body).toEqual({ error: EngineErrors.keyInvalid, message: expect.any(String) });
    }
    expect(await balanceMicros(account.accountId)).toBe(-7_600n);
  });

  it('answers an unknown engine route with 404 in its own shape', async () => {
    const response = await fetch(`${server.url}/api/engine/nothing-here`, {
      headers: { authorization: `Bearer ${engine.key}` },
    });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: EngineErrors.routeNotFound, message: expect.any(String) });
  });
});
