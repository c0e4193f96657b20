/**
 * The servers bench/messages compares, each in its own process: `bare` is a bare Fastify route that
 * parses a send and answers 202 with a uuid per destination without doing anything; `switchboard`
 * is the real server (PostgreSQL when DATABASE_URL is set, else PGlite in a fresh DATA_DIR; its
 * SMSC is SMSC_URL, which the driver sets) with US SMS prices and ACCOUNTS active accounts, each
 * with much credit, a rented US number with SMS, and its Message rate class raised. Prints one JSON
 * line {url, key, accounts} when ready, accounts being "authId:authToken:number". A line "count" on
 * stdin prints {"messages", "queued", "heldMismatches", "ledgerMismatches"}: the outbound messages
 * held, those still queued, the accounts whose held credit is not the sum of their messages' holds
 * or whose free credit is below zero, and the accounts whose balance is not their ledger's sum.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { sql } from 'kysely';
import { serveBenchTarget } from './engine-bench.js';

const mode = process.argv[2];
const accountCount = Number(process.env.ACCOUNTS ?? 20);

if (mode === 'bare') {
  const app = Fastify();
  app.post('/v1/Account/:authId/Message/', async (request, reply) => {
    const { dst } = request.body as { dst: string };
    reply.code(202);
    return {
      api_id: randomUUID(),
      message: 'message(s) queued',
      message_uuid: dst.split('<').map(() => randomUUID()),
    };
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  console.log(JSON.stringify({ url, key: 'x', accounts: ['MABARE:x:14155550100'] }));
} else if (mode === 'switchboard') {
  // Loaded here only: the bare server holds none of Switchboard's modules.
  const { loadConfig } = await import('../src/config.js');
  const { startServer } = await import('../src/server.js');
  const config = loadConfig({
    ...process.env,
    DATA_DIR: mkdtempSync(path.join(tmpdir(), 'switchboard-bench-messages-')),
    PORT: '0',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    RATE_LIMIT_MESSAGE_REQUESTS: '1000000',
    ...(process.env.DATABASE_URL ? { SECRET_KEY: randomBytes(32).toString('hex') } : {}),
  });
  const server = await startServer(config, { controlChannel: false });
  const { system } = server;
  const db = system.database.db;
  const actor = { ip: '127.0.0.1', userAgent: 'bench', cli: true as const };

  const deckId = randomUUID();
  await db.insertInto('price_decks').values({ id: deckId, loaded_by: 'bench', row_count: 1 }).execute();
  await db
    .insertInto('prices')
    .values({
      deck_id: deckId,
      country_iso: 'US',
      product: 'sms',
      direction: 'outbound',
      number_type: '',
      prefix: '',
      rate_micros: 6_500n,
      connect_fee_micros: 0n,
      initial_increment: 1,
      subsequent_increment: 1,
      effective_from: new Date('2020-01-01T00:00:00Z'),
    })
    .execute();
  system.prices.forget();

  const numbers = Array.from({ length: accountCount }, (_, i) => `1415555${String(1000 + i)}`);
  await system.numbers.load(
    actor,
    [
      'number,country_iso,type,region,city,rate_center,voice,sms,mms,monthly_rental,voice_rate,sms_rate',
      ...numbers.map(
        (number) =>
          `${number},US,local,"California, UNITED STATES",San Francisco,SNFC CNTRL,true,true,false,0.8,0.0085,0.0065`,
      ),
    ].join('\n'),
  );
  const accounts: string[] = [];
  for (const [i, number] of numbers.entries()) {
    const account = await system.provisioning.create(actor, {
      email: `bench-${i}@acme-telecom.com`,
      name: `Bench ${i}`,
      activate: true,
    });
    await system.credits.adjust(actor, account.accountId, {
      amount: '10000000',
      reason: 'Bench credit',
      idempotencyKey: randomUUID(),
    });
    await system.numbers.rent(
      actor,
      {
        scope: { mainAccountId: account.accountId, mainAuthId: account.authId, subaccount: null },
        status: 'active',
      },
      number,
      null,
    );
    await system.rateLimits.set(actor, account.accountId, { message: 100_000 });
    accounts.push(`${account.authId}:${account.authToken}:${number}`);
  }

  await serveBenchTarget(
    { url: server.url, key: 'x', accounts },
    () => server.stop(),
    async () => {
      const messages = await db
        .selectFrom('messages')
        .select((eb) => [
          eb.fn.countAll<string>().as('n'),
          eb.fn.count<string>('id').filterWhere('state', '=', 'queued').as('queued'),
        ])
        .where('direction', '=', 'outbound')
        .executeTakeFirstOrThrow();
      // One statement, so one snapshot while the dispatcher moves holds into charges.
      const held = await sql<{ n: string }>`
        SELECT count(*) AS n FROM accounts a
        WHERE a.parent_account_id IS NULL AND (
          a.balance_micros - a.held_micros < 0 OR
          a.held_micros <> (SELECT coalesce(sum(m.held_micros), 0) FROM messages m WHERE m.account_id = a.id))`.execute(
        db,
      );
      const ledger = await system.ledger.verify();
      return {
        messages: Number(messages.n),
        queued: Number(messages.queued),
        heldMismatches: Number(held.rows[0]?.n ?? 0),
        ledgerMismatches: ledger.length,
      };
    },
  );
} else {
  console.error('usage: messages-target.ts bare|switchboard');
  process.exit(2);
}
