/**
 * What the engine-door benchmarks (bench/usage, bench/credit-control) share. The driver's side:
 * start a target server in its own process (pinned to core 1 where taskset exists), read its lines,
 * a fresh PostgreSQL database when one is configured, medians. The target's side: a Switchboard
 * with 101 active accounts (the last one the hot account), US prices and an engine.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, mkdtempSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { serverNodeFlags } from '../src/cli/node-flags.js';

export const pinServer =
  existsSync('/usr/bin/taskset') && cpus().length >= 2 ? ['/usr/bin/taskset', '-c', '1'] : [];

/** A running target: its process, its output's lines, and what it printed when ready. */
export interface Target {
  name: string;
  child: ChildProcess;
  lines: Interface;
  url: string;
  key: string;
  accounts: string[];
  /** Switchboard's SIP_DOMAIN (Switchboard targets that serve voice). */
  sipDomain?: string;
}

/** The target's next line of output that starts so (leaving a for-await loop would close the interface). */
export function nextLine(target: { lines: Interface }, startsWith: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const onLine = (line: string) => {
      if (!line.startsWith(startsWith)) return;
      target.lines.off('line', onLine).off('close', onClose);
      resolve(line);
    };
    const onClose = () => reject(new Error('the target stopped'));
    target.lines.on('line', onLine).once('close', onClose);
  });
}

/**
 * Starts `script` (a target module next to this one) in `mode`; resolves once it printed {url, key, accounts}.
 * BENCH_CPU_PROFILE=dir writes each target's CPU profile (.cpuprofile) there when it stops.
 */
export async function startTarget(script: string, name: string, mode: string, env: Record<string, string>) {
  const profile = process.env.BENCH_CPU_PROFILE
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`]
    : [];
  const command = [
    process.execPath,
    ...serverNodeFlags,
    ...profile,
    new URL(script, import.meta.url).pathname,
    mode,
  ];
  const [program, ...args] = [...pinServer, ...command] as [string, ...string[]];
  const child = spawn(program, args, { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, ...env } });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const ready = JSON.parse(await nextLine({ lines }, '{"url"')) as Omit<Target, 'child' | 'lines' | 'name'>;
  return { name, child, lines, ...ready } as Target;
}

export async function stopTarget(target: Target) {
  target.child.kill('SIGTERM');
  await once(target.child, 'exit');
}

/** Asks a Switchboard target for its counts: it answers one JSON line starting with `startsWith`. */
export async function askCounts<T>(target: Target, startsWith: string): Promise<T> {
  return askTarget<T>(target, 'count', startsWith);
}

/** Sends a target one command line (`name` and its argument, JSON); it answers one JSON line starting with `startsWith`. */
export async function askTarget<T>(target: Target, line: string, startsWith: string): Promise<T> {
  const answer = nextLine(target, startsWith);
  target.child.stdin?.write(`${line}\n`);
  return JSON.parse(await answer) as T;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** A new database on the PostgreSQL server of `postgresUrl`: its URL, and `drop` to remove it afterwards. */
export async function freshDatabase(postgresUrl: string, prefix: string) {
  const { default: pg } = await import('pg');
  const name = `${prefix}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const again = new pg.Client({ connectionString: postgresUrl });
      await again.connect();
      await again.query(`DROP DATABASE IF EXISTS ${name}`);
      await again.end();
    },
  };
}

/**
 * The three targets, bare first: the bare server, Switchboard on PGlite, and Switchboard on a fresh
 * PostgreSQL database when `postgresUrl` is set (dropped by the answer's `drop`).
 */
export async function startTargets(script: string, prefix: string, postgresUrl: string | undefined) {
  const targets: Target[] = [];
  let drop = async () => {};
  targets.push(await startTarget(script, 'bare Fastify route', 'bare', {}));
  targets.push(await startTarget(script, 'Switchboard on PGlite', 'switchboard', { DATABASE_URL: '' }));
  if (postgresUrl) {
    const fresh = await freshDatabase(postgresUrl, prefix);
    drop = fresh.drop;
    targets.push(
      await startTarget(script, 'Switchboard on PostgreSQL', 'switchboard', { DATABASE_URL: fresh.url }),
    );
  } else console.log('No DATABASE_URL or TEST_DATABASE_URL: PostgreSQL is not measured.');
  return { targets, drop };
}

/** The target side: Switchboard (PostgreSQL when DATABASE_URL is set, else PGlite in a fresh DATA_DIR) with 101 active accounts, US prices and an engine. */
export async function benchSwitchboard(
  dataDirPrefix: string,
  prices: {
    product: 'voice' | 'sms';
    rateMicros: bigint;
    /** Default US, any number type, 60/60; calls to SIP endpoints are priced by ZZ rows of number type ip. */
    country?: string;
    numberType?: '' | 'ip';
    increment?: number;
  }[],
  accountCount = 101,
) {
  const { loadConfig } = await import('../src/config.js');
  const { startServer } = await import('../src/server.js');
  const { newAuthId } = await import('../src/lib/ids.js');
  const config = loadConfig({
    ...process.env,
    DATA_DIR: mkdtempSync(path.join(tmpdir(), dataDirPrefix)),
    PORT: '0',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    ...(process.env.DATABASE_URL ? { SECRET_KEY: randomBytes(32).toString('hex') } : {}),
  });
  const server = await startServer(config, { controlChannel: false });
  const db = server.system.database.db;
  const accounts = Array.from({ length: accountCount }, (_, i) => ({
    id: randomUUID(),
    auth_id: newAuthId('MA'),
    name: `Bench ${i}`,
    status: 'active' as const,
    currency: config.currency,
  }));
  await db.insertInto('accounts').values(accounts).execute();
  const deckId = randomUUID();
  await db
    .insertInto('price_decks')
    .values({ id: deckId, loaded_by: 'bench', row_count: prices.length })
    .execute();
  await db
    .insertInto('prices')
    .values(
      prices.map((price) => ({
        deck_id: deckId,
        country_iso: price.country ?? 'US',
        product: price.product,
        direction: 'outbound' as const,
        number_type: price.numberType ?? ('' as const),
        prefix: '',
        rate_micros: price.rateMicros,
        connect_fee_micros: 0n,
        initial_increment: price.increment ?? 60,
        subsequent_increment: price.increment ?? 60,
        effective_from: new Date('2020-01-01T00:00:00Z'),
      })),
    )
    .execute();
  server.system.prices.forget();
  const engine = await server.system.engines.create({ ip: 'bench', userAgent: null }, 'bench');
  return { server, db, accounts, engine };
}

/**
 * Prints the ready line the driver waits for, answers "count" lines with `count()` and "<name>
 * <JSON>" lines with `commands[name](the parsed JSON)`, and stops on SIGTERM.
 */
export async function serveBenchTarget(
  ready: { url: string; key: string; accounts: string[]; sipDomain?: string },
  stop: () => Promise<void>,
  count: () => Promise<unknown>,
  commands: Record<string, (argument: unknown) => Promise<unknown>> = {},
) {
  console.log(JSON.stringify(ready));
  process.once('SIGTERM', () => void stop().then(() => process.exit(0)));
  for await (const line of createInterface({ input: process.stdin })) {
    const [name = '', ...rest] = line.trim().split(' ');
    if (name === 'count') console.log(JSON.stringify(await count()));
    else if (commands[name])
      console.log(JSON.stringify(await commands[name](JSON.parse(rest.join(' ') || 'null'))));
  }
}
