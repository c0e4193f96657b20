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
 * For the Kamailio part, the Switchboard target also prices calls to SIP endpoints (ZZ, ip, 0.06 a
 * minute by the second), prints its `sipDomain`, and answers two more lines:
 *   voice {"callers": C, "rpcUrl": "http://127.0.0.1:…/RPC"}  → {"voice": {"pairs": [{caller, callee}], "password", "accounts"}}:
 *     C caller endpoints, each on an account of its own (the first C accounts, never the hot one),
 *     C callee endpoints on the next C accounts, one password; Kamailio's JSON-RPC as the engine's
 *     disconnect (kamailio-jsonrpc);
 *   calls ["<SIP Call-ID>", …]  → {"calls": {…}, …count}: of the calls answered (by Call-ID), how
 *     many have exactly one call record, completed, its credit session ended, charged more than 0.
 */
import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import { sql } from 'kysely';
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
    { product: 'voice', rateMicros: 60_000n, country: 'ZZ', numberType: 'ip', increment: 1 },
  ]);
  // Credit goes through the ledger, as staff or the CLI would post it: balances equal their ledger.
  for (const account of accounts)
    await server.system.credits.adjust({ ip: 'bench', userAgent: null, cli: true }, account.id, {
      amount: '1000000',
      reason: 'bench',
      idempotencyKey: randomUUID(),
    });
  const count = async () => {
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
  };
  const password = 'Correct-Horse-Battery-9';
  const voice = async (argument: unknown) => {
    const { callers, rpcUrl } = argument as { callers: number; rpcUrl: string };
    if (2 * callers > accounts.length - 1) throw new Error(`at most ${(accounts.length - 1) / 2} callers`);
    const endpoint = async (account: (typeof accounts)[number], name: string) => {
      const created = await server.system.endpoints.create(
        { ip: 'bench', userAgent: null },
        { mainAccountId: account.id, mainAuthId: account.auth_id, subaccount: null },
        { username: name, password, alias: name, applicationId: null },
      );
      return created.username;
    };
    const pairs: { caller: string; callee: string }[] = [];
    for (let i = 0; i < callers; i++)
      pairs.push({
        caller: await endpoint(accounts[i] as (typeof accounts)[number], `caller${i}`),
        callee: await endpoint(accounts[callers + i] as (typeof accounts)[number], `callee${i}`),
      });
    await server.system.engines.setDisconnectUrl(
      { ip: 'bench', userAgent: null },
      engine.engineId,
      rpcUrl,
      'kamailio-jsonrpc',
    );
    return { voice: { pairs, password, accounts: accounts.slice(0, callers).map((a) => a.auth_id) } };
  };
  const calls = async (argument: unknown) => {
    const ids = argument as string[];
    const rows: { sip_call_id: string; state: string; amount_micros: bigint; session: string | null }[] = [];
    for (let start = 0; start < ids.length; start += 500) {
      const chunk = ids.slice(start, start + 500);
      if (chunk.length === 0) continue;
      rows.push(
        ...(await db
          .selectFrom('calls')
          .leftJoin('credit_sessions', (join) =>
            join
              .on(sql<boolean>`credit_sessions.session_id = calls.id::text`)
              .onRef('credit_sessions.engine_id', '=', 'calls.engine_id'),
          )
          .select([
            'calls.sip_call_id',
            'calls.state',
            'calls.amount_micros',
            'credit_sessions.status as session',
          ])
          .where('calls.sip_call_id', 'in', chunk)
          .execute()),
      );
    }
    const records = new Map<string, number>();
    for (const row of rows) records.set(row.sip_call_id, (records.get(row.sip_call_id) ?? 0) + 1);
    const states = await db
      .selectFrom('calls')
      .select((eb) => ['state', eb.fn.countAll<bigint>().as('n')])
      .groupBy('state')
      .execute();
    return {
      calls: {
        answered: ids.length,
        once: ids.filter((id) => records.get(id) === 1).length,
        missing: ids.filter((id) => !records.has(id)).length,
        duplicated: ids.filter((id) => (records.get(id) ?? 0) > 1).length,
        completed: rows.filter((row) => row.state === 'completed').length,
        sessionsEnded: rows.filter((row) => row.session === 'ended').length,
        charged: rows.filter((row) => BigInt(row.amount_micros) > 0n).length,
        states: Object.fromEntries(states.map((row) => [row.state, Number(row.n)])),
      },
      ...(await count()),
    };
  };
  await serveBenchTarget(
    {
      url: server.url,
      key: engine.key,
      accounts: accounts.map((account) => account.auth_id),
      sipDomain: server.system.config.sipDomain,
    },
    () => server.stop(),
    count,
    { voice, calls },
  );
} else {
  console.error('usage: credit-control-target.ts bare|switchboard');
  process.exit(2);
}
