/**
 * bench/start: how fast `npm start` answers and how much memory the embedded default holds.
 *   npm run bench:start
 *
 * - fresh start: a new DATA_DIR (the embedded database is created): time to the first 200 on /,
 *   and the serving process's peak RSS (VmHWM);
 * - restart: the same DATA_DIR again, server and console built: time to the first 200, once for
 *   the server alone and once through `npm start` (its build check included);
 * - idle RSS: after the restart, a few requests, then nothing: VmRSS read after 10 and after IDLE=30
 *   seconds (V8 gives back the old generation's free pages once the process has been idle a while);
 * - PGlite alone: the same data directory reopened by PGlite with the same settings and nothing
 *   else (bench/pglite-alone), idle as long: what Switchboard adds is the difference.
 * RSS is that of the server process (`node` with the server's flags running `bin/switchboard.js serve`),
 * read from /proc/<pid>/status.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { serverNodeFlags } from '../src/cli/node-flags.js';
import { embeddedDirectory } from '../src/db/database-location.js';

const root = path.resolve(import.meta.dirname, '../..');
const idleSeconds = Number(process.env.IDLE ?? 30);
const firstReading = Math.min(10, idleSeconds);

async function freePort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as { port: number };
  probe.close();
  await once(probe, 'close');
  return port;
}

/** VmRSS or VmHWM of a process, in MB. */
function memory(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1]);
  return Math.round(kb / 1024);
}

/** Polls / until it answers 200; the milliseconds since `started`. */
async function firstOk(url: string, started: number, child: ChildProcess): Promise<number> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
    try {
      const response = await fetch(url);
      await response.arrayBuffer();
      if (response.status === 200) return performance.now() - started;
    } catch {
      // not listening yet
    }
    await sleep(20);
  }
}

async function stop(child: ChildProcess, group = false) {
  if (child.exitCode !== null) return;
  const exited = once(child, 'exit');
  if (group && child.pid) process.kill(-child.pid, 'SIGTERM');
  else child.kill('SIGTERM');
  await exited;
}

/** Starts the server (or `npm start`, in a process group of its own) on dataDir; the time to its first 200. */
async function start(dataDir: string, through: 'server' | 'npm') {
  const port = await freePort();
  const env = { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' };
  const started = performance.now();
  const child =
    through === 'server'
      ? spawn(process.execPath, [...serverNodeFlags, path.join(root, 'bin/switchboard.js'), 'serve'], {
          cwd: root,
          env,
          stdio: 'ignore',
        })
      : spawn('npm', ['start', '--silent'], { cwd: root, env, stdio: 'ignore', detached: true });
  const url = `http://127.0.0.1:${port}/`;
  const ms = await firstOk(url, started, child);
  return { child, url, ms };
}

const dataDir = mkdtempSync(path.join(tmpdir(), 'switchboard-bench-start-'));
try {
  const fresh = await start(dataDir, 'server');
  const freshPeak = memory(fresh.child.pid as number, 'VmHWM');
  await stop(fresh.child);

  const viaNpm = await start(dataDir, 'npm');
  await stop(viaNpm.child, true);

  const restart = await start(dataDir, 'server');
  const pid = restart.child.pid as number;
  for (let i = 0; i < 5; i++) await (await fetch(restart.url)).arrayBuffer();
  await sleep(firstReading * 1000);
  const idleSoon = memory(pid, 'VmRSS');
  await sleep((idleSeconds - firstReading) * 1000);
  const idle = memory(pid, 'VmRSS');
  const peak = memory(pid, 'VmHWM');
  await stop(restart.child);

  const alone = JSON.parse(
    execFileSync(
      process.execPath,
      [path.join(import.meta.dirname, 'pglite-alone.js'), embeddedDirectory(dataDir)],
      {
        encoding: 'utf8',
        env: { ...process.env, IDLE: String(idleSeconds) },
      },
    ),
  ) as { idleRss: number; peakRss: number };

  console.log(`fresh start   first 200 in ${(fresh.ms / 1000).toFixed(1)} s, peak RSS ${freshPeak} MB`);
  console.log(`restart       first 200 in ${(restart.ms / 1000).toFixed(1)} s (server alone)`);
  console.log(
    `restart       first 200 in ${(viaNpm.ms / 1000).toFixed(1)} s (npm start, build check included)`,
  );
  console.log(
    `idle          RSS ${idleSoon} MB after ${firstReading} s idle, ${idle} MB after ${idleSeconds} s (peak ${peak} MB)`,
  );
  console.log(
    `PGlite alone  RSS ${alone.idleRss} MB after ${idleSeconds} s idle (peak ${alone.peakRss} MB), same data directory and settings: Switchboard adds ${idle - alone.idleRss} MB`,
  );
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
