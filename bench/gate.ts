/**
 * bench/gate: authenticated GET /v1/Account/{id}/ through Switchboard's gate (Basic auth, IP
 * whitelist on, rate limit counted, request log) against a bare Fastify route, measured in the same
 * run with autocannon (50 connections). Each server runs in its own process; autocannon runs here.
 * Both run compiled (dist/, built by `npm run bench:gate`) with the server's Node flags, as `npm start` runs it. Where
 * `taskset` exists the servers are pinned to core 1, so run the client on core 0:
 *   taskset -c 0 npm run bench:gate      (ROUNDS=3 rounds of DURATION=10 seconds per server)
 *
 * The two are measured in alternation, round after round, and each round gives a ratio: on a
 * shared virtual machine the speed of a core drifts by a fifth within a minute, so a baseline
 * measured once, before or after, says more about the drift than about the gate. The median ratio
 * is the result; every round is printed. Each round also reads both servers' CPU time (user and
 * system, from /proc) per request: its ratio, bare over gate, moves less when other processes take
 * the cores, which throughput does not show.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { serverNodeFlags } from '../src/cli/node-flags.js';

const duration = Number(process.env.DURATION ?? 10);
const rounds = Number(process.env.ROUNDS ?? 3);
// The servers alone on their own core: otherwise client and server share cores and the bare baseline is held back.
const pinServer = existsSync('/usr/bin/taskset') && cpus().length >= 2 ? ['/usr/bin/taskset', '-c', '1'] : [];
const connections = 50;

interface Target {
  child: ChildProcess;
  url: string;
  authId: string;
  authToken: string;
}

interface Measurement {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  /** The server's CPU time (user and system) per request, in µs: what the server spends, whatever else runs on the machine. */
  cpuMicros: number;
}

/** A process's CPU time so far (user and system), in seconds, from /proc (clock ticks of 10 ms). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function startTarget(mode: 'bare' | 'switchboard'): Promise<Target> {
  // The compiled server, as `npm start` runs it (bench:gate builds first).
  const command = [
    process.execPath,
    ...serverNodeFlags,
    new URL('./gate-target.js', import.meta.url).pathname,
    mode,
  ];
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

async function stopTarget(target: Target) {
  target.child.kill('SIGTERM');
  await once(target.child, 'exit');
}

function load(target: Target, seconds: number) {
  return autocannon({
    url: `${target.url}/v1/Account/${target.authId}/`,
    connections,
    duration: seconds,
    headers: {
      authorization: `Basic ${Buffer.from(`${target.authId}:${target.authToken}`).toString('base64')}`,
    },
  });
}

async function measure(target: Target): Promise<Measurement> {
  const pid = target.child.pid as number;
  const cpuBefore = cpuSeconds(pid);
  const result = await load(target, duration);
  const cpu = cpuSeconds(pid) - cpuBefore;
  const failed = result.non2xx + result.errors + result.timeouts;
  if (failed > 0) throw new Error(`${failed} of ${result.requests.total} requests failed`);
  return {
    requestsPerSecond: result.requests.average,
    p99: result.latency.p99,
    p50: result.latency.p50,
    cpuMicros: (cpu * 1e6) / result.requests.total,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

const row = (name: string, r: Measurement) =>
  `  ${name.padEnd(34)} ${Math.round(r.requestsPerSecond).toString().padStart(8)} req/s   p50 ${r.p50} ms   p99 ${r.p99} ms   CPU ${r.cpuMicros.toFixed(1)} µs/request`;

const bare = await startTarget('bare');
const gate = await startTarget('switchboard');
try {
  console.log(
    `bench/gate: ${connections} connections, ${rounds} rounds of ${duration} s per server, Node ${process.version}, servers ${pinServer.length ? 'pinned to core 1' : 'not pinned'}`,
  );
  // Warm-up: the JIT, the gate's account cache and the request log's first flush.
  await load(bare, 2);
  await load(gate, 2);
  const ratios: number[] = [];
  const gateP99s: number[] = [];
  const cpuRatios: number[] = [];
  for (let round = 1; round <= rounds; round++) {
    const bareRound = await measure(bare);
    const gateRound = await measure(gate);
    const ratio = gateRound.requestsPerSecond / bareRound.requestsPerSecond;
    ratios.push(ratio);
    gateP99s.push(gateRound.p99);
    cpuRatios.push(bareRound.cpuMicros / gateRound.cpuMicros);
    console.log(`round ${round}: ratio ${ratio.toFixed(2)}`);
    console.log(row('bare Fastify route', bareRound));
    console.log(row('Switchboard gate (whitelist+limit)', gateRound));
  }
  console.log(
    `ratio gate / bare: median ${median(ratios).toFixed(2)} (rounds ${ratios.map((r) => r.toFixed(2)).join(' / ')}), gate p99 at most ${Math.max(...gateP99s)} ms (target >= 0.60, p99 < 10 ms)`,
  );
  console.log(
    `CPU per request bare / gate: median ${median(cpuRatios).toFixed(2)} (rounds ${cpuRatios.map((r) => r.toFixed(2)).join(' / ')})`,
  );
} finally {
  await Promise.all([stopTarget(bare), stopTarget(gate)]);
}
