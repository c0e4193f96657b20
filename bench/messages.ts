/**
 * bench/messages: the Message API under load. Part one: messages accepted per second through
 * POST /v1/Account/{id}/Message/ (Basic auth and the gate, sender checks, rating per destination,
 * the cost held from free credit and the messages queued) against a bare Fastify route answering
 * the same 202, measured in alternation in the same run with autocannon (50 connections). Two
 * loads: one destination per request, and ten. Sends go to ACCOUNTS=20 accounts, each with much
 * credit, a rented US number and its Message rate class raised; the request limit
 * (RATE_LIMIT_MESSAGE_REQUESTS) is raised out of the way. The dispatcher runs meanwhile, sending to
 * a loopback SMSC at SMSC_SUBMITS_PER_SECOND's default. Part two: messages delivered per second to
 * a loopback SMSC by a server whose SMSC_SUBMITS_PER_SECOND is BOUND=1000: each round fills the
 * queue for DURATION seconds, then counts the submit_sm reaching the SMSC over DURATION seconds
 * while the queue is never empty.
 *   taskset -c 0 npm run bench:messages     (ROUNDS=3 rounds of DURATION=10 seconds per target and load;
 *                                           PARTS=accepted or PARTS=delivery runs one part)
 * Switchboard runs on a fresh PostgreSQL database when DATABASE_URL or TEST_DATABASE_URL is set
 * (dropped afterwards), else on PGlite. Every round is printed; each Switchboard round checks
 * afterwards that every 202 produced its messages, that each account's held credit is the sum of
 * its messages' holds and its free credit not below zero, and that every balance equals its
 * ledger's sum.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import smpp, { type Pdu } from 'smpp';
import {
  askCounts,
  freshDatabase,
  median,
  pinServer,
  startTarget,
  stopTarget,
  type Target,
} from './engine-bench.js';

const duration = Number(process.env.DURATION ?? 10);
const rounds = Number(process.env.ROUNDS ?? 3);
const bound = Number(process.env.BOUND ?? 1000);
const postgresUrl = process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL;
/** Which parts run: accepted, delivery or both (the default). */
const parts = (process.env.PARTS ?? 'accepted,delivery').split(',');
const connections = 50;
const BARE = 'bare Fastify route';

interface Counts {
  messages: number;
  queued: number;
  heldMismatches: number;
  ledgerMismatches: number;
}

/** An SMSC on loopback that binds anyone and acknowledges every submit_sm, counting them. */
async function countingSmsc() {
  let submitted = 0;
  const server = smpp.createServer((session) => {
    session.on('bind_transceiver', (pdu: Pdu) => session.send(pdu.response({ system_id: 'bench' })));
    session.on('submit_sm', (pdu: Pdu) => {
      submitted++;
      session.send(pdu.response({ message_id: `bench-${submitted}` }));
    });
    session.on('enquire_link', (pdu: Pdu) => session.send(pdu.response()));
    session.on('unbind', (pdu: Pdu) => {
      session.send(pdu.response());
      session.close();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `smpp://bench:bench@127.0.0.1:${server.address().port}`,
    submitted: () => submitted,
    close: () =>
      new Promise<void>((resolve) => {
        for (const session of [...server.sessions]) session.destroy();
        server.close(() => resolve());
      }),
  };
}

let sequence = 0;

/** A send from one of the target's accounts (in turn) to `destinations` US numbers. */
function sendRequest(target: Target, destinations: number) {
  const [authId, authToken, number] = (target.accounts[sequence % target.accounts.length] as string).split(
    ':',
  );
  const dst = Array.from(
    { length: destinations },
    () => `1212${String(5_000_000 + (++sequence % 5_000_000))}`,
  );
  return {
    method: 'POST' as const,
    path: `/v1/Account/${authId}/Message/`,
    headers: {
      'content-type': 'application/json',
      authorization: `Basic ${Buffer.from(`${authId}:${authToken}`).toString('base64')}`,
    },
    body: JSON.stringify({
      src: number,
      dst: dst.join('<'),
      text: 'Your code is 123456. It expires in 10 minutes.',
    }),
  };
}

/** Sends for `seconds` from 50 connections; answers the messages accepted (202s × destinations) and the latencies. */
async function load(target: Target, destinations: number, seconds: number) {
  const result = await autocannon({
    url: target.url,
    connections,
    duration: seconds,
    requests: [{ setupRequest: () => sendRequest(target, destinations) }],
  });
  const failed = result.non2xx + result.errors + result.timeouts;
  if (failed > 0) throw new Error(`${target.name}: ${failed} of ${result.requests.total} requests failed`);
  return { messages: result.requests.total * destinations, p50: result.latency.p50, p99: result.latency.p99 };
}

/** After a Switchboard round: every message answered is held, and the credit figures add up. */
function checked(name: string, before: Counts, after: Counts, answered: number): string {
  // autocannon may stop with requests in flight: those are queued but not counted as answered.
  const recorded = after.messages - before.messages;
  const check = `, ${recorded} recorded (${recorded >= answered ? 'all answered' : 'MISSING'}), ${after.heldMismatches} held mismatches, ${after.ledgerMismatches} balance mismatches`;
  if (recorded < answered || after.heldMismatches > 0 || after.ledgerMismatches > 0)
    throw new Error(`${name}: check failed${check}`);
  return check;
}

async function accepted(target: Target, destinations: number, seconds: number) {
  const before = target.name === BARE ? undefined : await askCounts<Counts>(target, '{"messages"');
  const figure = await load(target, destinations, seconds);
  const check = before
    ? checked(target.name, before, await askCounts<Counts>(target, '{"messages"'), figure.messages)
    : '';
  return { perSecond: figure.messages / seconds, p50: figure.p50, p99: figure.p99, check };
}

async function switchboardTarget(name: string, smscUrl: string, submitsPerSecond: number) {
  const env = { SMSC_URL: smscUrl, SMSC_SUBMITS_PER_SECOND: String(submitsPerSecond) };
  if (!postgresUrl)
    return {
      target: await startTarget('./messages-target.js', name, 'switchboard', env),
      drop: async () => {},
    };
  const database = await freshDatabase(postgresUrl, 'bench_messages');
  const target = await startTarget('./messages-target.js', name, 'switchboard', {
    ...env,
    DATABASE_URL: database.url,
  });
  return { target, drop: database.drop };
}

const where = postgresUrl ? 'PostgreSQL' : 'PGlite';
console.log(
  `bench/messages: ${rounds} rounds of ${duration} s per target and load, Switchboard on ${where}, Node ${process.version}, servers ${pinServer.length ? 'pinned to core 1' : 'not pinned'}`,
);
if (!postgresUrl) console.log('No DATABASE_URL or TEST_DATABASE_URL: Switchboard runs on PGlite.');

const results: string[] = [];
if (parts.includes('accepted')) {
  const smsc = await countingSmsc();
  const bare = await startTarget('./messages-target.js', BARE, 'bare', {});
  const { target: switchboard, drop } = await switchboardTarget(`Switchboard on ${where}`, smsc.url, 100);
  try {
    for (const destinations of [1, 10]) {
      const name = `${destinations} destination${destinations === 1 ? '' : 's'} per request, ${connections} connections`;
      for (const target of [bare, switchboard]) await accepted(target, destinations, 2); // warm-up
      const figures = new Map<string, number[]>();
      for (let round = 1; round <= rounds; round++) {
        console.log(`${name}, round ${round}:`);
        for (const target of [bare, switchboard]) {
          const figure = await accepted(target, destinations, duration);
          figures.set(target.name, [...(figures.get(target.name) ?? []), figure.perSecond]);
          console.log(
            `  ${target.name.padEnd(24)} ${Math.round(figure.perSecond).toString().padStart(7)} messages/s   p50 ${figure.p50} ms   p99 ${figure.p99} ms${figure.check}`,
          );
        }
      }
      const bareMedian = median(figures.get(BARE) ?? [1]);
      const values = figures.get(switchboard.name) ?? [];
      results.push(
        `${name}: ${switchboard.name} median ${Math.round(median(values))} accepted/s, the bare route ${Math.round(bareMedian)}/s, ratio ${(median(values) / bareMedian).toFixed(2)} (rounds ${values.map((v) => Math.round(v)).join(' / ')})`,
      );
      console.log(results.at(-1));
    }
  } finally {
    await Promise.all([bare, switchboard].map(stopTarget));
    await drop();
    await smsc.close();
  }
}

if (parts.includes('delivery')) {
  const smsc = await countingSmsc();
  const { target, drop } = await switchboardTarget(
    `Switchboard on ${where}, SMSC bound ${bound}/s`,
    smsc.url,
    bound,
  );
  try {
    const figures: number[] = [];
    for (let round = 1; round <= rounds; round++) {
      const before = await askCounts<Counts>(target, '{"messages"');
      const filled = await load(target, 10, duration);
      const from = smsc.submitted();
      await sleep(duration * 1000);
      const perSecond = (smsc.submitted() - from) / duration;
      const after = await askCounts<Counts>(target, '{"messages"');
      const check = checked(target.name, before, after, filled.messages);
      if (after.queued === 0)
        throw new Error(`${target.name}: the queue ran empty, so the SMSC's bound was not tested`);
      figures.push(perSecond);
      console.log(
        `delivery, round ${round}: ${Math.round(perSecond)} submit_sm/s reached the SMSC (bound ${bound}/s), ${after.queued} still queued${check}`,
      );
    }
    results.push(
      `delivery: median ${Math.round(median(figures))} messages/s reached the loopback SMSC, bound ${bound}/s (rounds ${figures.map((v) => Math.round(v)).join(' / ')})`,
    );
    console.log(results.at(-1));
  } finally {
    await stopTarget(target);
    await drop();
    await smsc.close();
  }
}
console.log(`\n${results.join('\n')}`);
