/**
 * bench/usage: engines posting usage through the HTTP API (POST /api/engine/usage), rated and
 * charged, against a bare Fastify route accepting the same bodies, measured in the same run with
 * autocannon. Two loads: batches of 1,000 events from 4 concurrent senders, and one event per
 * request from 50 connections. Events go to 100 accounts and one hot account (half of all events).
 * Targets: the bare route, Switchboard on PGlite, and Switchboard on PostgreSQL when DATABASE_URL
 * or TEST_DATABASE_URL is set (a fresh database is created in it and dropped afterwards).
 *   taskset -c 0 npm run bench:usage     (ROUNDS=3 rounds of DURATION=10 seconds per target and load)
 * Targets are measured in alternation, round after round (see bench/gate.ts for why); every round
 * is printed, and each Switchboard round checks afterwards that every event answered was recorded
 * once and that every balance equals its ledger's sum.
 */
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import { askCounts, median, pinServer, startTargets, stopTarget, type Target } from './engine-bench.js';

const duration = Number(process.env.DURATION ?? 10);
const rounds = Number(process.env.ROUNDS ?? 3);
const postgresUrl = process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL;

interface Load {
  name: string;
  eventsPerRequest: number;
  connections: number;
}

const loads: Load[] = [
  { name: 'batches of 1000, 4 senders', eventsPerRequest: 1000, connections: 4 },
  { name: 'one event per request, 50 connections', eventsPerRequest: 1, connections: 50 },
];

const run = randomBytes(3).toString('hex');
let sequence = 0;
const startedAt = new Date(Date.now() - 3600_000).toISOString();

/** A batch's JSON: half its events to the hot account (the last), half spread over the other 100. */
function batchBody(accounts: string[], size: number): string {
  const hot = accounts[accounts.length - 1] ?? 'MA';
  const parts: string[] = [];
  for (let i = 0; i < size; i++) {
    const n = ++sequence;
    const account = n % 2 ? hot : (accounts[n % (accounts.length - 1)] ?? hot);
    const sms = n % 4 < 2;
    parts.push(
      `{"id":"${run}-${n}","account":"${account}","product":"${sms ? 'sms' : 'voice'}","direction":"outbound","from":"+14155550100","to":"+12125550123","quantity":${sms ? 1 : 61},"started_at":"${startedAt}"}`,
    );
  }
  return `{"events":[${parts.join(',')}]}`;
}

async function measure(target: Target, load: Load, seconds: number) {
  const before = target.accounts.length
    ? await askCounts<{ records: number; mismatches: number }>(target, '{"records"')
    : undefined;
  const result = await autocannon({
    url: `${target.url}/api/engine/usage`,
    connections: load.connections,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${target.key}` },
        setupRequest: (request) => ({
          ...request,
          body: batchBody(target.accounts.length ? target.accounts : ['MABARE'], load.eventsPerRequest),
        }),
      },
    ],
  });
  const failed = result.non2xx + result.errors + result.timeouts;
  if (failed > 0) throw new Error(`${target.name}: ${failed} of ${result.requests.total} requests failed`);
  const events = result.requests.total * load.eventsPerRequest;
  let check = '';
  if (before) {
    const after = await askCounts<{ records: number; mismatches: number }>(target, '{"records"');
    // autocannon may stop with requests in flight: those are answered (and charged) but not counted.
    const recorded = after.records - before.records;
    check = `, ${recorded} recorded (${recorded >= events ? 'all answered' : 'MISSING'}), ${after.mismatches} balance mismatches`;
    if (recorded < events || after.mismatches > 0) throw new Error(`${target.name}: check failed${check}`);
  }
  return { eventsPerSecond: events / seconds, p50: result.latency.p50, p99: result.latency.p99, check };
}

const { targets, drop } = await startTargets('./usage-target.js', 'bench_usage', postgresUrl);
try {
  console.log(
    `bench/usage: ${rounds} rounds of ${duration} s per target and load, Node ${process.version}, servers ${pinServer.length ? 'pinned to core 1' : 'not pinned'}`,
  );
  for (const load of loads) {
    for (const target of targets) await measure(target, load, 2); // warm-up
    const figures = new Map<string, number[]>();
    for (let round = 1; round <= rounds; round++) {
      console.log(`${load.name}, round ${round}:`);
      for (const target of targets) {
        const figure = await measure(target, load, duration);
        figures.set(target.name, [...(figures.get(target.name) ?? []), figure.eventsPerSecond]);
        console.log(
          `  ${target.name.padEnd(26)} ${Math.round(figure.eventsPerSecond).toString().padStart(8)} events/s   p50 ${figure.p50} ms   p99 ${figure.p99} ms${figure.check}`,
        );
      }
    }
    const bare = median(figures.get('bare Fastify route') ?? [1]);
    for (const [name, values] of figures) {
      if (name === 'bare Fastify route') continue;
      console.log(
        `${load.name}: ${name} median ${Math.round(median(values))} events/s, ratio to the bare route ${(median(values) / bare).toFixed(2)} (rounds ${values.map((v) => Math.round(v)).join(' / ')})`,
      );
    }
  }
} finally {
  await Promise.all(targets.map(stopTarget));
  await drop();
}
