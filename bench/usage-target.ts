/**
 * The two servers bench/usage compares, each in its own process: `bare` is a bare Fastify route
 * that parses a usage batch and answers an outcome per event without doing anything; `switchboard`
 * is the real server (PostgreSQL when DATABASE_URL is set, else PGlite in a fresh DATA_DIR) with
 * prices for US voice and SMS, 101 active accounts (the last one is the hot account) and an engine.
 * Prints one JSON line {url, key, accounts} when ready. A line "count" on stdin prints
 * {"records", "mismatches"}: the usage records held and the accounts whose balance is not their
 * ledger's sum.
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
  const { loadConfig } = await import('../src/config.js');
  const { startServer } = await import('../src/server.js');
  const { newAuthId } = await import('../src/lib/ids.js');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'switchboard-bench-usage-'));
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
  const deckId = randomUUID();
  await db.insertInto('price_decks').values({ id: deckId, loaded_by: 'bench', row_count: 2 }).execute();
  await db
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
    const records = await db
      .selectFrom('usage_records')
      .select((eb) => eb.fn.countAll<bigint>().as('n'))
      .executeTakeFirstOrThrow();
    const mismatches = await server.system.ledger.verify();
    console.log(JSON.stringify({ records: Number(records.n), mismatches: mismatches.length }));
  }
} else {
  console.error('usage: usage-target.ts bare|switchboard');
  process.exit(2);
}
