/**
 * bench/credit-control: engines asking for credit in real time through the HTTP API, one call at a
 * time per connection: open a credit session (POST /api/engine/sessions), then end it with its
 * seconds (POST /api/engine/sessions/{id}/end), rated and charged, the hold released; against a
 * bare Fastify server answering both routes with fixed JSON, measured in the same run with
 * autocannon (50 connections, each sending the open and then the end of the same session). One unit
 * is such a pair: the figure is pairs (answered ends) per second. Sessions go to 100 accounts and
 * one hot account (half of all sessions), so opens and ends on the hot account's row queue behind
 * each other. The aim: at least 10,000 pairs/s on PostgreSQL.
 * Targets: the bare routes, Switchboard on PGlite, and Switchboard on PostgreSQL when DATABASE_URL
 * or TEST_DATABASE_URL is set (a fresh database is created in it and dropped afterwards).
 *   taskset -c 0 npm run bench:credit-control     (ROUNDS=3 rounds of DURATION=10 seconds per target)
 * Targets are measured in alternation, round after round (see bench/gate.ts for why); every round
 * is printed, and each Switchboard round checks afterwards that every pair answered was ended, that
 * no session is left open (those opened when autocannon stopped are ended first, and counted), that
 * no hold is left, and that every balance equals its ledger's sum.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import { askCounts, median, pinServer, startTargets, stopTarget, type Target } from './engine-bench.js';

const duration = Number(process.env.DURATION ?? 10);
const rounds = Number(process.env.ROUNDS ?? 3);
const connections = 50;
const aim = 10_000;
const postgresUrl = process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL;

interface Counts {
  ended: number;
  open: number;
  mismatches: number;
  held: string;
}

const run = randomBytes(3).toString('hex');
let sequence = 0;
const endBody = JSON.stringify({ seconds: 61 });

/** A session's opening: half of them on the hot account (the last), half spread over the other 100. */
function openBody(accounts: string[], id: string, n: number): string {
  const hot = accounts[accounts.length - 1] ?? 'MA';
  const account = n % 2 ? hot : (accounts[n % (accounts.length - 1)] ?? hot);
  return JSON.stringify({
    id,
    account,
    product: 'voice',
    direction: 'outbound',
    from: '+14155550100',
    to: '+12125550123',
  });
}

/** Ends the sessions opened but not ended when autocannon stopped (their answers were cut off). */
async function endLeftovers(target: Target, ids: Iterable<string>): Promise<number> {
  await sleep(500); // let the server finish what was in flight when the connections closed
  let ended = 0;
  for (const id of ids) {
    const response = await fetch(`${target.url}/api/engine/sessions/${encodeURIComponent(id)}/end`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${target.key}` },
      body: endBody,
    });
    await response.arrayBuffer();
    if (response.status === 200) ended++;
    else if (response.status !== 404)
      throw new Error(`${target.name}: ending leftover session ${id} answered ${response.status}`);
  }
  return ended;
}

async function measure(target: Target, seconds: number) {
  const switchboard = target.accounts.length > 0;
  const accounts = switchboard ? target.accounts : ['MABARE'];
  const before = switchboard ? await askCounts<Counts>(target, '{"ended"') : undefined;
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${target.key}` };
  /** Sessions whose open was sent and whose end has not been answered yet. */
  const pending = new Set<string>();
  const statuses = new Map<string, number>();
  let firstFailure = '';
  let pairs = 0;
  const tally = (what: string, status: number, body: string) => {
    const key = `${what} ${status}`;
    statuses.set(key, (statuses.get(key) ?? 0) + 1);
    if (!firstFailure) firstFailure = `${key}: ${body.slice(0, 300)}`;
  };
  const result = await autocannon({
    url: target.url,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        path: '/api/engine/sessions',
        headers,
        setupRequest: (request, context) => {
          const n = ++sequence;
          const id = `${run}-${n}`;
          (context as { id?: string }).id = id;
          pending.add(id);
          return { ...request, body: openBody(accounts, id, n) };
        },
        onResponse: (status, body) => {
          if (status !== 201) tally('open', status, body);
        },
      },
      {
        method: 'POST',
        headers,
        setupRequest: (request, context) => ({
          ...request,
          path: `/api/engine/sessions/${(context as { id?: string }).id}/end`,
          body: endBody,
        }),
        onResponse: (status, body, context) => {
          if (status !== 200) tally('end', status, body);
          else {
            pairs++;
            pending.delete((context as { id?: string }).id ?? '');
          }
        },
      },
    ],
  });
  const failed = result.non2xx + result.errors + result.timeouts;
  if (failed > 0)
    throw new Error(
      `${target.name}: ${failed} of ${result.requests.total} requests failed (${[...statuses].map(([key, n]) => `${key} ×${n}`).join(', ') || `${result.errors} errors, ${result.timeouts} timeouts`}; first: ${firstFailure || 'none'})`,
    );
  let check = '';
  if (before) {
    const leftovers = await endLeftovers(target, pending);
    const after = await askCounts<Counts>(target, '{"ended"');
    // autocannon stops with requests in flight: opens answered (or cut off) whose end was never
    // sent are ended above, so every pair counted and every leftover is an ended session now.
    const ended = after.ended - before.ended;
    const allEnded = ended >= pairs + leftovers;
    const clean = after.open === 0 && after.held === '0';
    check = `, ${ended} ended (${allEnded ? 'all answered' : 'MISSING'}; ${leftovers} left open at the stop, ended after), ${after.open} open, ${after.held} held, ${after.mismatches} balance mismatches`;
    if (!allEnded || after.open > connections || after.mismatches > 0)
      throw new Error(`${target.name}: check failed${check}`);
    if (!clean) check += ' (SESSIONS OR HOLDS LEFT)';
  }
  return { pairsPerSecond: pairs / seconds, p50: result.latency.p50, p99: result.latency.p99, check };
}

const { targets, drop } = await startTargets(
  './credit-control-target.js',
  'bench_credit_control',
  postgresUrl,
);
try {
  console.log(
    `bench/credit-control: ${rounds} rounds of ${duration} s per target, open+end pairs from ${connections} connections, Node ${process.version}, servers ${pinServer.length ? 'pinned to core 1' : 'not pinned'}`,
  );
  for (const target of targets) await measure(target, 2); // warm-up
  const figures = new Map<string, number[]>();
  for (let round = 1; round <= rounds; round++) {
    console.log(`round ${round}:`);
    for (const target of targets) {
      const figure = await measure(target, duration);
      figures.set(target.name, [...(figures.get(target.name) ?? []), figure.pairsPerSecond]);
      console.log(
        `  ${target.name.padEnd(26)} ${Math.round(figure.pairsPerSecond).toString().padStart(8)} pairs/s   p50 ${figure.p50} ms   p99 ${figure.p99} ms${figure.check}`,
      );
    }
  }
  const bare = median(figures.get('bare Fastify route') ?? [1]);
  for (const [name, values] of figures) {
    if (name === 'bare Fastify route') continue;
    const aimed =
      name === 'Switchboard on PostgreSQL'
        ? `, aim ${aim} pairs/s ${median(values) >= aim ? 'met' : 'NOT met'}`
        : '';
    console.log(
      `${name} median ${Math.round(median(values))} pairs/s, ratio to the bare route ${(median(values) / bare).toFixed(2)}${aimed} (rounds ${values.map((v) => Math.round(v)).join(' / ')})`,
    );
  }
} finally {
  await Promise.all(targets.map(stopTarget));
  await drop();
}
