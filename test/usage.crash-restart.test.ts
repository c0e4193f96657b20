import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { runDatabaseCommand } from '../src/cli/run.js';
import { loadConfig } from '../src/config.js';
import { Ledger } from '../src/modules/billing/ledger.js';
import { testTarget } from './support/database.js';
import { postUsage } from './support/engine-usage.js';
import {
  compiledCliBuilt,
  freePort,
  openServerData,
  ownServerDatabase,
  serveCompiled,
  untilServing,
} from './support/server-process.js';

/**
 * kill -9 while four engines post usage, then restart on the same data: every event answered
 * `charged` is recorded once with its ledger entry (the claim commits with the charge or not at
 * all); re-sending everything charges exactly the events that had not been, so that afterwards every
 * sent event is charged once and every balance is its ledger's sum. The compiled server runs in its
 * own process, as `npm start` runs it.
 */
const built = compiledCliBuilt('usage.crash-restart');

const SENDERS = 4;
const BATCHES_PER_SENDER = 40;
const EVENTS_PER_BATCH = 100;
/** The server is killed once this many batches were answered, with the others in flight. */
const KILL_AFTER_ANSWERS = 24;

type Outcome = { id: string; status: string };

/** Four senders posting their batches in turn; each stops at its first failed request (the server died). */
async function sendAll(url: string, key: string, batches: unknown[][][], onAnswer = () => {}) {
  const answers = new Map<string, Outcome[]>();
  await Promise.all(
    batches.map(async (senderBatches) => {
      for (const events of senderBatches) {
        try {
          const answer = await postUsage({ url }, key, { events });
          expect(answer.status, JSON.stringify(answer.body).slice(0, 300)).toBe(200);
          for (const outcome of answer.body.events as Outcome[]) answers.set(outcome.id, [outcome]);
          onAnswer();
        } catch (error) {
          if ((error as Error).name === 'AssertionError') throw error;
          return; // the server is gone: this request was in flight
        }
      }
    }),
  );
  return answers;
}

describe.runIf(built)(`usage charging across kill -9, on ${testTarget}`, () => {
  it('keeps every charged event recorded once with its ledger entry, and a re-send charges exactly the rest', async () => {
    const port = await freePort();
    const env = {
      ...(await ownServerDatabase('usage_crash')),
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
    };
    const config = loadConfig(env);
    const url = `http://127.0.0.1:${port}`;

    // Prices first, straight into the database no server holds yet.
    const setup = await openServerData(env);
    const deckId = randomUUID();
    await setup.db
      .insertInto('price_decks')
      .values({ id: deckId, loaded_by: 'test', row_count: 2 })
      .execute();
    await setup.db
      .insertInto('prices')
      .values(
        (['voice', 'sms'] as const).map((product) => ({
          deck_id: deckId,
          country_iso: 'US',
          product,
          direction: 'outbound' as const,
          number_type: '' as const,
          prefix: '',
          rate_micros: product === 'voice' ? 12_000n : 5_000n,
          connect_fee_micros: 0n,
          initial_increment: 60,
          subsequent_increment: 60,
          effective_from: new Date('2020-01-01T00:00:00Z'),
        })),
      )
      .execute();
    await setup.close();

    let server = serveCompiled(env);
    try {
      await untilServing(server.child, `${url}/api/session`);
      // On the embedded database the CLI asks the running server, as an operator's would.
      const accounts: string[] = [];
      for (let i = 0; i < 3; i++) {
        const account = (await runDatabaseCommand(config, 'accounts.create', {
          email: `ops-${randomBytes(3).toString('hex')}@acme-telecom.com`,
          name: `Acme ${i}`,
          activate: 'true',
        })) as { authId: string };
        accounts.push(account.authId);
      }
      const { key } = (await runDatabaseCommand(config, 'engines.create', { name: 'sbc-crash' })) as {
        key: string;
      };

      const batches = Array.from({ length: SENDERS }, (_, sender) =>
        Array.from({ length: BATCHES_PER_SENDER }, (_, batch) =>
          Array.from({ length: EVENTS_PER_BATCH }, (_, i) => ({
            id: `s${sender}-b${batch}-e${i}`,
            account: accounts[(batch + i) % accounts.length],
            product: i % 2 ? 'sms' : 'voice',
            direction: 'outbound',
            from: '+14155550100',
            to: '+12125550123',
            quantity: i % 2 ? 1 : 61,
            started_at: '2026-11-20T09:00:00Z',
          })),
        ),
      );
      const sentIds = batches.flat(2).map((event) => event.id);

      let answered = 0;
      const first = await sendAll(url, key, batches, () => {
        answered++;
        if (answered === KILL_AFTER_ANSWERS) server.child.kill('SIGKILL');
      });
      await server.exited;
      const chargedFirst = [...first.values()]
        .flat()
        .filter((o) => o.status === 'charged')
        .map((o) => o.id);
      expect(chargedFirst.length).toBeGreaterThanOrEqual(KILL_AFTER_ANSWERS * EVENTS_PER_BATCH);
      expect(chargedFirst.length).toBeLessThan(sentIds.length);

      // What the killed server left: every event answered `charged` recorded once, with its ledger entry.
      const afterCrash = await openServerData(env);
      try {
        const { rows } = await sql<{ recorded: bigint; without_entry: bigint }>`
          SELECT count(*) AS recorded,
                 count(*) FILTER (WHERE NOT EXISTS (
                   SELECT 1 FROM ledger_entries l
                   WHERE l.reference = r.batch_id::text AND l.account_id = r.account_id
                     AND l.kind = 'charge' AND l.amount_micros < 0)) AS without_entry
          FROM usage_records r WHERE r.event_id = ANY(${chargedFirst}::text[])`.execute(afterCrash.db);
        expect(rows[0]).toEqual({ recorded: BigInt(chargedFirst.length), without_entry: 0n });
        expect(await new Ledger(afterCrash.db, { publish: async () => {} }).verify()).toEqual([]);
      } finally {
        await afterCrash.close();
      }

      // Restart on the same data and send everything again.
      server = serveCompiled(env);
      await untilServing(server.child, `${url}/api/session`);
      const second = await sendAll(url, key, batches);
      expect(second.size).toBe(sentIds.length);
      const chargedFirstSet = new Set(chargedFirst);
      const recharged = chargedFirst.filter((id) => second.get(id)?.[0]?.status !== 'duplicate');
      expect(recharged).toEqual([]);
      const chargedSecond = [...second.values()].flat().filter((o) => o.status === 'charged');
      expect(chargedSecond.every((o) => !chargedFirstSet.has(o.id))).toBe(true);
      server.child.kill('SIGTERM');
      expect((await server.exited)[0]).toBe(0);

      // Every sent event charged exactly once; every balance its ledger's sum and its records' total.
      const after = await openServerData(env);
      try {
        const { rows } = await sql<{ records: bigint; distinct_events: bigint; total: bigint }>`
          SELECT count(*) AS records, count(DISTINCT event_id) AS distinct_events,
                 coalesce(sum(amount_micros), 0)::bigint AS total
          FROM usage_records WHERE event_id = ANY(${sentIds}::text[])`.execute(after.db);
        expect(rows[0]?.records).toBe(BigInt(sentIds.length));
        expect(rows[0]?.distinct_events).toBe(BigInt(sentIds.length));
        // Half are 61 s calls (two minutes at 0.012), half single SMS at 0.005.
        expect(rows[0]?.total).toBe(BigInt(sentIds.length / 2) * (24_000n + 5_000n));
        const balances = await after.db
          .selectFrom('accounts')
          .select((eb) => eb.fn.sum<bigint>('balance_micros').as('sum'))
          .where('auth_id', 'in', accounts)
          .executeTakeFirstOrThrow();
        expect(BigInt(balances.sum)).toBe(-(rows[0]?.total ?? 0n));
        expect(await new Ledger(after.db, { publish: async () => {} }).verify()).toEqual([]);
      } finally {
        await after.close();
      }
    } finally {
      if (server.child.exitCode === null && server.child.signalCode === null) {
        server.child.kill('SIGKILL');
        await server.exited;
      }
    }
  }, 240_000);
});
