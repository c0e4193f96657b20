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
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import Fastify from 'fastify';

const mode = process.argv[2];
const ACCOUNTS = 101;

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
  const { loadConfig } = await import('../src/config.js');
  const { startServer } = await import('../src/server.js');
  const { newAuthId } = await import('../src/lib/ids.js');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'switchboard-bench-credit-control-'));
  const config = loadConfig({
    ...process.env,
    DATA_DIR: dataDir,
    PORT: '0',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    ...(process.env.DATABASE_URL ? { SECRET_KEY: randomBytes(32).toString('hex') } : {}),
  });
  const server = await startServer(config, { controlChannel: false });
  const db = server.system.database.db;
  const accounts = Array.from({ length: ACCOUNTS }, (_, i) => ({
    id: randomUUID(),
    auth_id: newAuthId('MA'),
    name: `Bench ${i}`,
    status: 'active' as const,
    currency: config.currency,
  }));
  await db.insertInto('accounts').values(accounts).execute();
  // Credit goes through the ledger, as staff or the CLI would post it: balances equal their ledger.
  for (const account of accounts)
    await server.system.credits.adjust({ ip: 'bench', userAgent: null, cli: true }, account.id, {
      amount: '1000000',
      reason: 'bench',
      idempotencyKey: randomUUID(),
    });
  const deckId = randomUUID();
  await db.insertInto('price_decks').values({ id: deckId, loaded_by: 'bench', row_count: 1 }).execute();
  await db
    .insertInto('prices')
    .values({
      deck_id: deckId,
      country_iso: 'US',
      product: 'voice',
      direction: 'outbound',
      number_type: '',
      prefix: '',
      rate_micros: 12_000n,
      connect_fee_micros: 0n,
      initial_increment: 60,
      subsequent_increment: 60,
      effective_from: new Date('2020-01-01T00:00:00Z'),
    })
    .execute();
  server.system.prices.forget();
  const engine = await server.system.engines.create({ ip: 'bench', userAgent: null }, 'bench');
  console.log(
    JSON.stringify({
      url: server.url,
      key: engine.key,
      accounts: accounts.map((account) => account.auth_id),
    }),
  );
  process.once('SIGTERM', () => void server.stop().then(() => process.exit(0)));
  for await (const line of createInterface({ input: process.stdin })) {
    if (line.trim() !== 'count') continue;
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
    console.log(
      JSON.stringify({
        ended: of('ended'),
        open: of('open'),
        mismatches: mismatches.length,
        held: String(held.held ?? 0),
      }),
    );
  }
} else {
  console.error('usage: credit-control-target.ts bare|switchboard');
  process.exit(2);
}
