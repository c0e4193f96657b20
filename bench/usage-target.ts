/**
 * The two servers bench/usage compares, each in its own process: `bare` is a bare Fastify route
 * that parses a usage batch and answers an outcome per event without doing anything; `switchboard`
 * is the real server (PostgreSQL when DATABASE_URL is set, else PGlite in a fresh DATA_DIR) with
 * prices for US voice and SMS, 101 active accounts (the last one is the hot account) and an engine.
 * Prints one JSON line {url, key, accounts} when ready. A line "count" on stdin prints
 * {"records", "mismatches"}: the usage records held and the accounts whose balance is not their
 * ledger's sum.
 */
import Fastify from 'fastify';
import { benchSwitchboard, serveBenchTarget } from './engine-bench.js';

const mode = process.argv[2];

if (mode === 'bare') {
  const app = Fastify({ bodyLimit: 1_048_576 });
  app.post('/api/engine/usage', async (request) => ({
    events: (request.body as { events: { id: string }[] }).events.map((event) => ({
      id: event.id,
      status: 'charged',
      amount: '0.00000',
      reason: null,
    })),
  }));
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  console.log(JSON.stringify({ url, key: 'x', accounts: [] }));
} else if (mode === 'switchboard') {
  const { server, db, accounts, engine } = await benchSwitchboard('switchboard-bench-usage-', [
    { product: 'voice', rateMicros: 12_000n },
    { product: 'sms', rateMicros: 5_000n },
  ]);
  await serveBenchTarget(
    { url: server.url, key: engine.key, accounts: accounts.map((account) => account.auth_id) },
    () => server.stop(),
    async () => {
      const records = await db
        .selectFrom('usage_records')
        .select((eb) => eb.fn.countAll<bigint>().as('n'))
        .executeTakeFirstOrThrow();
      const mismatches = await server.system.ledger.verify();
      return { records: Number(records.n), mismatches: mismatches.length };
    },
  );
} else {
  console.error('usage: usage-target.ts bare|switchboard');
  process.exit(2);
}
