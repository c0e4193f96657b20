import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAccount } from '../support/api-account.js';
import { testTarget } from '../support/database.js';
import { loadTestPrices, postUsage, testEngine } from '../support/engine-usage.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  await loadTestPrices(server, [
    { country_iso: 'US', product: 'voice', direction: 'outbound', rate_micros: 12_000n },
    { country_iso: 'US', product: 'sms', direction: 'outbound', rate_micros: 5_000n },
  ]);
}, 120_000);
afterAll(() => server.stop());

describe(`no double charge under concurrent posting of the same events, on ${testTarget}`, () => {
  it('charges each event once when 8 requests post the same batch at once, and the balance is the ledger’s sum', async () => {
    const engine = await testEngine(server);
    const main = await apiAccount(server);
    const other = await apiAccount(server);
    const created = await main.client.post('/api/subaccounts', { name: 'Branch' });
    expect(created.status).toBe(201);
    const accounts = [main.authId, other.authId, created.body.authId as string];
    const events = Array.from({ length: 300 }, (_, i) => ({
      id: `call-${randomUUID()}`,
      account: accounts[i % 3],
      product: i % 2 ? 'sms' : 'voice',
      direction: 'outbound',
      from: '+14155550100',
      to: '+12125550123',
      quantity: i % 2 ? 2 : 61,
      started_at: '2026-11-20T09:00:00Z',
    }));
    // Each request lists the events in its own order, so claims overlap in every order.
    const batches = Array.from({ length: 8 }, (_, n) =>
      n % 2 ? [...events].reverse() : [...events.slice(n * 10), ...events.slice(0, n * 10)],
    );
    const answers = await Promise.all(
      batches.map((batch) => postUsage(server, engine.key, { events: batch })),
    );
    const charged = new Map<string, number>();
    for (const answer of answers) {
      expect(answer.status, JSON.stringify(answer.body).slice(0, 300)).toBe(200);
      for (const outcome of answer.body.events as { id: string; status: string }[]) {
        expect(['charged', 'duplicate']).toContain(outcome.status);
        if (outcome.status === 'charged') charged.set(outcome.id, (charged.get(outcome.id) ?? 0) + 1);
      }
    }
    expect(charged.size).toBe(events.length);
    expect([...charged.values()].every((times) => times === 1)).toBe(true);

    const db = server.system.database.db;
    const { rows } = await sql<{ records: bigint; distinct_events: bigint }>`
      SELECT count(*) AS records, count(DISTINCT event_id) AS distinct_events FROM usage_records
      WHERE engine_id = ${engine.engineId}`.execute(db);
    expect(rows[0]).toEqual({ records: 300n, distinct_events: 300n });
    // 150 calls of 61 s (0.024) and 150 messages of 2 segments (0.010), a third on each account;
    // the subaccount's third is its main account's.
    expect((await server.system.ledger.balance(main.accountId)).micros).toBe(
      -(100n * 24_000n + 100n * 10_000n),
    );
    expect((await server.system.ledger.balance(other.accountId)).micros).toBe(
      -(50n * 24_000n + 50n * 10_000n),
    );
    const daily = await db
      .selectFrom('usage_daily')
      .select((eb) => eb.fn.sum<bigint>('events').as('events'))
      .where('account_id', 'in', [main.accountId, other.accountId])
      .executeTakeFirstOrThrow();
    expect(BigInt(daily.events)).toBe(300n);
    expect(await server.system.ledger.verify()).toEqual([]);
  });
});
