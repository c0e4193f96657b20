/**
 * bench/credit-control: engines asking for credit in real time through the HTTP API, one call at a
 * time per connection: open a credit session (POST /api/engine/sessions), then end it with its
 * seconds (POST /api/engine/sessions/{id}/end), rated and charged, the hold released; against a
 * bare Fastify server answering both routes with fixed JSON, measured in the same run with
 * autocannon (CONNECTIONS=50 connections, each sending the open and then the end of the same session). One unit
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
 * The Kamailio part (PARTS=http,kamailio by default; PARTS=kamailio for it alone; skipped with the
 * reason printed when Kamailio is not installed): for each Switchboard target, a real Kamailio with
 * the config `switchboard kamailio config` prints, on loopback, CALLERS=8 caller and callee
 * endpoints registered through it, and calls (INVITE, 407, INVITE with digest, 200, ACK, BYE at
 * once) at most CALLS_PER_SECOND=200 a second in all (capped at 400): calls authorized per second.
 * Its baseline, measured in the same round: open+end pairs over HTTP on the callers' accounts from
 * CALLERS connections under the same cap (a Kamailio route answering without Switchboard asks no
 * credit, so it measures nothing this figure is about). After each round: every call answered has
 * exactly one call record, completed, its credit session ended; no session open, no hold, no
 * balance off its ledger. The SIP UA and Kamailio runner are test/support's (in the build for this).
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import { kamailioBinary, startKamailio } from '../test/support/kamailio.js';
import { SipUa } from '../test/support/sip-ua.js';
import {
  askCounts,
  askTarget,
  median,
  pinServer,
  startTargets,
  stopTarget,
  type Target,
} from './engine-bench.js';

const duration = Number(process.env.DURATION ?? 10);
const rounds = Number(process.env.ROUNDS ?? 3);
/** Engine connections, each sending one open and then its end at a time (CONNECTIONS, default 50). */
const connections = Math.max(1, Math.min(Number(process.env.CONNECTIONS ?? 50), 1000));
const aim = 10_000;
const postgresUrl = process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL;
/** What to run: the HTTP pairs against the bare route (http), the calls through Kamailio (kamailio). */
const parts = new Set((process.env.PARTS ?? 'http,kamailio').split(',').map((part) => part.trim()));
/** The Kamailio part: callers placing calls at once, and the bound on calls a second in all (at most 400). */
const callers = Math.max(1, Math.min(Number(process.env.CALLERS ?? 8), 50));
const callRate = Math.max(1, Math.min(Number(process.env.CALLS_PER_SECOND ?? 200), 400));

interface Counts {
  ended: number;
  open: number;
  mismatches: number;
  held: string;
}

const run = randomBytes(3).toString('hex');
let sequence = 0;
const endBody = JSON.stringify({ seconds: 61 });

/**
 * A session's opening: half of them on the hot account (the last), half spread over the other 100;
 * without `hot`, spread evenly over all of `accounts`.
 */
function openBody(accounts: string[], id: string, n: number, hot = true): string {
  const hotAccount = accounts[accounts.length - 1] ?? 'MA';
  const account = !hot
    ? (accounts[n % accounts.length] ?? hotAccount)
    : n % 2
      ? hotAccount
      : (accounts[n % (accounts.length - 1)] ?? hotAccount);
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

/** How measure() loads a target: its connections, its accounts (half on the hot one), no rate limit. */
interface HttpLoad {
  connections: number;
  accounts?: string[];
  hot: boolean;
  /** At most this many pairs per second in all (autocannon's overallRate, two requests a pair). */
  pairsPerSecond?: number;
}

async function measure(target: Target, seconds: number, load: HttpLoad = { connections, hot: true }) {
  const switchboard = target.accounts.length > 0;
  const accounts = load.accounts ?? (switchboard ? target.accounts : ['MABARE']);
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
    connections: load.connections,
    duration: seconds,
    ...(load.pairsPerSecond ? { overallRate: 2 * load.pairsPerSecond } : {}),
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
          return { ...request, body: openBody(accounts, id, n, load.hot) };
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
    if (!allEnded || after.open > load.connections || after.mismatches > 0)
      throw new Error(`${target.name}: check failed${check}`);
    if (!clean) check += ' (SESSIONS OR HOLDS LEFT)';
  }
  return { pairsPerSecond: pairs / seconds, p50: result.latency.p50, p99: result.latency.p99, check };
}

/** The SIP UAs of the Kamailio part: each caller calls its own callee. */
interface Phones {
  caller: SipUa;
  callee: SipUa;
}

/**
 * The SIP load: every caller places one call after another (INVITE, its 407 answered, 200, ACK,
 * BYE at once), all callers together starting at most `callRate` calls a second, for `seconds`.
 * A call counts when its 200 came before the end; calls in flight then are finished (and checked).
 */
async function sipLoad(phones: Phones[], seconds: number) {
  const start = performance.now();
  const deadline = start + seconds * 1000;
  const gap = 1000 / callRate;
  let nextSlot = start;
  const answered: string[] = [];
  const setup: number[] = [];
  const failures = new Map<string, number>();
  let inTime = 0;
  const fail = (what: string) => failures.set(what, (failures.get(what) ?? 0) + 1);
  await Promise.all(
    phones.map(async ({ caller, callee }) => {
      for (;;) {
        const slot = Math.max(performance.now(), nextSlot);
        if (slot >= deadline) return;
        nextSlot = slot + gap;
        const wait = slot - performance.now();
        if (wait > 0) await sleep(wait);
        const began = performance.now();
        const call = caller.invite(callee.username);
        const status = await call.status();
        if (status !== 200) {
          fail(`INVITE ${status}`);
          continue;
        }
        const at = performance.now();
        answered.push(call.callId);
        setup.push(at - began);
        if (at <= deadline) inTime++;
        const bye = await call.hangup();
        if (bye !== 200) fail(`BYE ${bye}`);
      }
    }),
  );
  setup.sort((a, b) => a - b);
  const at = (q: number) => Math.round(setup[Math.min(setup.length - 1, Math.floor(q * setup.length))] ?? 0);
  return { callsPerSecond: inTime / seconds, answered, failures, p50: at(0.5), p99: at(0.99) };
}

interface CallCounts extends Counts {
  calls: {
    answered: number;
    once: number;
    missing: number;
    duplicated: number;
    completed: number;
    sessionsEnded: number;
    charged: number;
    states: Record<string, number>;
  };
}

/** After a SIP round: every call answered has one call record, completed (Kamailio's /end may trail the BYE's 200 a little). */
async function checkCalls(target: Target, answered: string[]) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const counts = await askTarget<CallCounts>(target, `calls ${JSON.stringify(answered)}`, '{"calls"');
    const { calls } = counts;
    const done = calls.once === calls.answered && calls.completed === calls.answered;
    if (done || Date.now() > deadline) {
      const check = `${calls.answered} answered: ${calls.once} with exactly one call record (${calls.missing} missing, ${calls.duplicated} duplicated), ${calls.completed} completed, ${calls.sessionsEnded} sessions ended, ${calls.charged} charged more than 0; ${counts.open} sessions open, ${counts.held} held, ${counts.mismatches} balance mismatches; all calls by state ${JSON.stringify(calls.states)}`;
      const ok =
        done &&
        calls.sessionsEnded === calls.answered &&
        counts.open === 0 &&
        counts.held === '0' &&
        counts.mismatches === 0;
      if (!ok) throw new Error(`${target.name} through Kamailio: check failed: ${check}`);
      return check;
    }
    await sleep(250);
  }
}

/**
 * The Kamailio part for one Switchboard target: a real Kamailio with the generated config on
 * loopback, `callers` caller and callee endpoints registered through it; each round measures the
 * baseline (open+end pairs over HTTP, `callers` connections on the callers' accounts, at most
 * `callRate` pairs a second) and then the calls through Kamailio.
 */
async function kamailioPart(target: Target, rounds: number) {
  const kamailio = await startKamailio({
    switchboardUrl: target.url,
    engineKey: target.key,
    sipDomain: target.sipDomain ?? 'sip.localhost',
  });
  const opened: SipUa[] = [];
  try {
    const { voice } = await askTarget<{
      voice: { pairs: { caller: string; callee: string }[]; password: string; accounts: string[] };
    }>(
      target,
      `voice ${JSON.stringify({ callers, rpcUrl: `http://127.0.0.1:${kamailio.rpcPort}/RPC` })}`,
      '{"voice"',
    );
    const ua = async (username: string) => {
      const phone = await SipUa.open({
        proxy: kamailio.sip,
        domain: target.sipDomain ?? 'sip.localhost',
        username,
        password: voice.password,
      });
      opened.push(phone);
      const status = await phone.register();
      if (status !== 200) throw new Error(`${target.name}: REGISTER of ${username} answered ${status}`);
      return phone;
    };
    const phones: Phones[] = [];
    for (const pair of voice.pairs)
      phones.push({ caller: await ua(pair.caller), callee: await ua(pair.callee) });
    const baselineLoad: HttpLoad = {
      connections: callers,
      accounts: voice.accounts,
      hot: false,
      pairsPerSecond: callRate,
    };
    // warm-up
    await measure(target, 2, baselineLoad);
    await checkCalls(target, (await sipLoad(phones, 2)).answered);
    const ratios: number[] = [];
    const figures: number[] = [];
    const baselines: number[] = [];
    for (let round = 1; round <= rounds; round++) {
      const baseline = await measure(target, duration, baselineLoad);
      const sip = await sipLoad(phones, duration);
      if (sip.failures.size > 0)
        throw new Error(
          `${target.name} through Kamailio: ${[...sip.failures].map(([what, n]) => `${what} ×${n}`).join(', ')}`,
        );
      const check = await checkCalls(target, sip.answered);
      const ratio = sip.callsPerSecond / baseline.pairsPerSecond;
      ratios.push(ratio);
      figures.push(sip.callsPerSecond);
      baselines.push(baseline.pairsPerSecond);
      console.log(
        `  round ${round}: baseline ${Math.round(baseline.pairsPerSecond)} pairs/s (p50 ${baseline.p50} ms, p99 ${baseline.p99} ms${baseline.check}); through Kamailio ${Math.round(sip.callsPerSecond)} calls/s authorized (INVITE to 200: p50 ${sip.p50} ms, p99 ${sip.p99} ms), ratio ${ratio.toFixed(2)}; ${check}`,
      );
    }
    console.log(
      `${target.name} through Kamailio: median ${Math.round(median(figures))} calls authorized/s, baseline median ${Math.round(median(baselines))} pairs/s, median ratio ${median(ratios).toFixed(2)} (rounds ${ratios.map((r) => r.toFixed(2)).join(' / ')})`,
    );
  } finally {
    for (const phone of opened) phone.close();
    await kamailio.stop();
  }
}

const { targets, drop } = await startTargets(
  './credit-control-target.js',
  'bench_credit_control',
  postgresUrl,
);
try {
  if (parts.has('http')) {
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
  }
  if (parts.has('kamailio')) {
    if (!kamailioBinary()) {
      console.log(
        'Kamailio part not run: Kamailio is not installed (apt-get install -y kamailio kamailio-utils-modules kamailio-json-modules).',
      );
      if (process.env.PARTS) process.exitCode = 1;
    } else {
      console.log(
        `bench/credit-control through Kamailio: ${rounds} rounds of ${duration} s per Switchboard target; ${callers} callers, each calling its own callee (endpoints registered through a real Kamailio with the config \`switchboard kamailio config\` prints, on loopback), INVITE → 407 → INVITE with digest → 200 → ACK → BYE at once, at most ${callRate} calls/s in all; Kamailio asks Switchboard for the digest, the call (a credit session), the answer and the end. Figure: calls authorized per second (INVITEs answered 200). Baseline, in the same round: the same target's credit sessions opened and ended directly over HTTP (POST /api/engine/sessions, then …/end) from ${callers} connections on the callers' accounts, at most ${callRate} pairs/s: what the engine door gives without SIP (a Kamailio route answering without Switchboard would not ask for credit, so it is no baseline). Kamailio and the SIP UAs run beside the driver, Switchboard ${pinServer.length ? 'pinned to core 1' : 'not pinned'}.`,
      );
      for (const target of targets) {
        if (target.accounts.length === 0) continue;
        console.log(`${target.name}:`);
        await kamailioPart(target, rounds);
      }
    }
  }
} finally {
  await Promise.all(targets.map(stopTarget));
  await drop();
}
