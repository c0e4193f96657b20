/**
 * bench/gate: authenticated GET /v1/Account/{id}/ through Switchboard's gate (Basic auth, IP
 * whitelist on, rate limit counted, request log) against a bare Fastify route, measured in the same
 * run with autocannon (50 connections). Each server runs in its own process; autocannon runs here.
 * Both run compiled (dist/, built by `npm run bench:gate`), as `npm start` runs the server. Where
 * `taskset` exists the server is pinned to core 1, so run the client on core 0:
 *   taskset -c 0 npm run bench:gate      (DURATION=10 seconds per measurement by default)
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';

const duration = Number(process.env.DURATION ?? 10);
// The server alone on its own core: otherwise client and server share cores and the bare baseline is held back.
const pinServer = existsSync('/usr/bin/taskset') && cpus().length >= 2 ? ['/usr/bin/taskset', '-c', '1'] : [];
const connections = 50;

interface Target {
  child: ChildProcess;
  url: string;
  authId: string;
  authToken: string;
}

async function startTarget(mode: 'bare' | 'switchboard'): Promise<Target> {
  // The compiled server, as `npm start` runs it (bench:gate builds first).
  const command = [process.execPath, new URL('./gate-target.js', import.meta.url).pathname, mode];
  const [program, ...args] = [...pinServer, ...command] as [string, ...string[]];
  const child = spawn(program, args, {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: process.env,
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  for await (const line of lines) {
    if (line.startsWith('{"url"')) return { child, ...(JSON.parse(line) as Omit<Target, 'child'>) };
  }
  throw new Error(`the ${mode} server did not start`);
}

async function measure(target: Target) {
  const url = `${target.url}/v1/Account/${target.authId}/`;
  const headers = {
    authorization: `Basic ${Buffer.from(`${target.authId}:${target.authToken}`).toString('base64')}`,
  };
  await autocannon({ url, connections, duration: 2, headers });
  const result = await autocannon({ url, connections, duration, headers });
  const failed = result.non2xx + result.errors + result.timeouts;
  if (failed > 0) throw new Error(`${failed} of ${result.requests.total} requests failed against ${url}`);
  return { requestsPerSecond: result.requests.average, p99: result.latency.p99, p50: result.latency.p50 };
}

async function run(mode: 'bare' | 'switchboard') {
  const target = await startTarget(mode);
  try {
    return await measure(target);
  } finally {
    target.child.kill('SIGTERM');
    await once(target.child, 'exit');
  }
}

const bare = await run('bare');
const gate = await run('switchboard');
const ratio = gate.requestsPerSecond / bare.requestsPerSecond;
const row = (name: string, r: typeof bare) =>
  `${name.padEnd(34)} ${Math.round(r.requestsPerSecond).toString().padStart(8)} req/s   p50 ${r.p50} ms   p99 ${r.p99} ms`;
console.log(
  `bench/gate: ${connections} connections, ${duration} s per measurement, Node ${process.version}, server ${pinServer.length ? 'pinned to core 1' : 'not pinned'}`,
);
console.log(row('bare Fastify route', bare));
console.log(row('Switchboard gate (whitelist+limit)', gate));
console.log(`ratio gate / bare: ${ratio.toFixed(2)} (target >= 0.60, p99 < 10 ms)`);
