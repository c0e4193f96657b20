/**
 * The two servers bench/credit-control compares, each in its own process: `bare` is a bare Fastify
 * server answering the two engine routes (open a session, end it) with fixed JSON of the real
 * answers' shape, without doing anything; `switchboard` is the real server (PostgreSQL when
 * DATABASE_URL is set, else PGlite in a fresh DATA_DIR) with the price of US voice (0.012 a minute,
 * 60/60), 101 active accounts (the last one is the hot account), each credited 1,000,000 through
 * the ledger (so balances are their ledger's sum and no session is refused for credit), and an
 * engine. Prints one JSON line {url, key, accounts} when ready. A line "count" on stdin prints
 * {"ended", "open", "mismatches", "held"}: the credit sessions ended and still open, the accounts
 * whose balance is not their ledger's sum, and the sum of all accounts' holds (micros, a string).
 */
import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import { benchSwitchboard, serveBenchTarget } from './engine-bench.js';

const mode = process.argv[2];

if (mode === 'bare') {
  const app = Fastify();
  const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
  app.post('/api/engine/sessions', async (request, res) =>
    res.code(201).send({
      allowed: true,
      session: (request.body as { id: string }).id,
      max_seconds: 3600,
      expires_at: expiresAt,
    }),
  );
  app.post('/api/engine/sessions/:id/end', async (request) => ({
    session: (request.params as { id: string }).id,
    status: 'ended',
    quantity: (request.body as { seconds?: number }).seconds ?? 0,
    amount: '0.02400',
    flagged: false,
  }));
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  console.log(JSON.stringify({ url, key: 'x', accounts: [] }));
} else if (mode === 'switchboard') {
  const { server, db, accounts, engine } = await benchSwitchboard('switchboard-bench-credit-control-', [
    { product: 'voice', rateMicros: 12_000n },
  ]);
  // Credit goes through the ledger, as staff or the CLI would post it: balances equal their ledger.
  for (const account of accounts)
    await server.system.credits.adjust({ ip: 'bench', userAgent: null, cli: true }, account.id, {
      amount: '1000000',
      reason: 'bench',
      idempotencyKey: randomUUID(),
    });
  await serveBenchTarget(
    { url: server.url, key: engine.key, accounts: accounts.map((account) => account.auth_id) },
    () => server.stop(),
    async () => {
      const sessions = await db
        .selectFrom('credit_sessions')
        .select((eb) => ['status', eb.fn.countAll<bigint>().as('n')])
        .groupBy('status')
        .execute();
      const held = await db
        .selectFrom('accounts')
        .select((eb) => eb.fn.sum<bigint | string | null>('held_micros').as('held'))
        .executeTakeFirstOrThrow();
      const mismatches = await server.system.ledger.verify();
      const of = (status: string) => Number(sessions.find((row) => row.status === status)?.n ?? 0);
      return {
        ended: of('ended'),
        open: of('open'),
        mismatches: mismatches.length,
        held: String(held.held ?? 0),
      };
    },
  );
} else {
  console.error('usage: credit-control-target.ts bare|switchboard');
  process.exit(2);
}
