/**
 * bench/jobs: how many jobs a second the jobs runner claims, runs (a handler that does nothing) and
 * records, on PGlite and on PostgreSQL, with one runner and with two (two pools, as two instances);
 * and the same for pg-boss 10 where it runs, fetching and completing batches as its workers do.
 *   npm run bench:jobs          (JOBS=3000 per measurement; PostgreSQL at BENCH_DATABASE_URL,
 *                                default postgres://postgres@127.0.0.1:5432/postgres, in a database
 *                                of its own that is dropped after)
 * pg-boss is measured only when it is installed (it is not a dependency of Switchboard). On PGlite it
 * is handed PGlite's own query interface, bypassing Switchboard's driver and its session lock.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Type } from '@sinclair/typebox';
import pg from 'pg';
import pino from 'pino';
import { type DatabaseHandle, openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { defineJob } from '../src/jobs/definition.js';
import { Jobs } from '../src/jobs/runner.js';
import { systemClock } from '../src/lib/clock.js';

const count = Number(process.env.JOBS ?? 3000);
const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const log = pino({ level: 'silent' });

function perSecond(jobs: number, startedAt: bigint): number {
  return Math.round(jobs / (Number(process.hrtime.bigint() - startedAt) / 1e9));
}

function print(what: string, figures: Record<string, number | string>) {
  console.log(
    `${what.padEnd(44)} ${Object.entries(figures)
      .map(([name, value]) => `${name} ${value}`)
      .join('  ')}`,
  );
}

/** Enqueues `count` jobs, then drains them with one runner per handle at once; answers what each did. */
async function measureRunner(what: string, handles: DatabaseHandle[]) {
  let ran = 0;
  const definition = defineJob({
    name: 'bench.noop',
    payload: Type.Object({ n: Type.Number() }),
    handle: async () => {
      ran++;
    },
  });
  const runners = handles.map((handle) => {
    const jobs = new Jobs({ db: handle.db, clock: systemClock, log });
    jobs.register(definition);
    return jobs;
  });
  const first = runners[0] as Jobs;
  let started = process.hrtime.bigint();
  for (let n = 0; n < count; n++) await first.enqueue('bench.noop', { n });
  const enqueued = perSecond(count, started);
  started = process.hrtime.bigint();
  await Promise.all(runners.map((jobs) => jobs.drain()));
  print(what, { 'enqueue/s': enqueued, 'claimed and run/s': perSecond(ran, started), ran });
}

async function withPostgres<T>(fn: (url: string) => Promise<T>): Promise<T> {
  const name = `sb_bench_jobs_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  try {
    return await fn(url.toString());
  } finally {
    await admin.query(`DROP DATABASE ${name}`);
    await admin.end();
  }
}

interface Boss {
  start(): Promise<unknown>;
  stop(options?: { graceful?: boolean; close?: boolean }): Promise<void>;
  createQueue(name: string): Promise<void>;
  send(name: string, data: object): Promise<string | null>;
  fetch(name: string, options: { batchSize: number }): Promise<{ id: string }[]>;
  complete(name: string, ids: string[]): Promise<void>;
  on(event: 'error', listener: (error: Error) => void): void;
}
type BossConstructor = new (options: object) => Boss;

/** pg-boss when installed; a variable module name keeps the build free of it. */
async function loadPgBoss(): Promise<BossConstructor | undefined> {
  const moduleName = 'pg-boss';
  try {
    return ((await import(moduleName)) as { default: BossConstructor }).default;
  } catch {
    return undefined;
  }
}

async function measurePgBoss(what: string, instances: Boss[]) {
  const first = instances[0] as Boss;
  await first.createQueue('bench-noop');
  let started = process.hrtime.bigint();
  for (let n = 0; n < count; n++) await first.send('bench-noop', { n });
  const sent = perSecond(count, started);
  let ran = 0;
  started = process.hrtime.bigint();
  await Promise.all(
    instances.map(async (boss) => {
      for (;;) {
        const batch = await boss.fetch('bench-noop', { batchSize: 10 });
        if (batch.length === 0) return;
        ran += batch.length;
        await boss.complete(
          'bench-noop',
          batch.map((job) => job.id),
        );
      }
    }),
  );
  print(what, { 'send/s': sent, 'fetched and completed/s': perSecond(ran, started), ran });
}

async function main() {
  console.log(`${count} jobs per measurement; a handler that does nothing; batches of 10.`);
  const dir = mkdtempSync(path.join(tmpdir(), 'sb-bench-jobs-'));
  try {
    const pglite = await openDatabase({ pgliteDir: dir });
    await migrateToLatest(pglite.db);
    await measureRunner('jobs runner, PGlite, one runner', [pglite]);
    await measureRunner('jobs runner, PGlite, two runners (one process)', [pglite, pglite]);
    await pglite.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  await withPostgres(async (url) => {
    const handles = [await openDatabase({ databaseUrl: url }), await openDatabase({ databaseUrl: url })];
    await migrateToLatest((handles[0] as DatabaseHandle).db);
    await measureRunner('jobs runner, PostgreSQL, one runner', handles.slice(0, 1));
    await measureRunner('jobs runner, PostgreSQL, two runners (two pools)', handles);
    await Promise.all(handles.map((handle) => handle.close()));
  });

  const PgBoss = await loadPgBoss();
  if (!PgBoss) {
    console.log('pg-boss is not installed: its measurements are skipped.');
    return;
  }
  await withPostgres(async (url) => {
    const instances = [new PgBoss({ connectionString: url }), new PgBoss({ connectionString: url })];
    for (const boss of instances) {
      boss.on('error', (error) => console.error('pg-boss:', error.message));
      await boss.start();
    }
    await measurePgBoss('pg-boss 10, PostgreSQL, one instance', instances.slice(0, 1));
    await measurePgBoss('pg-boss 10, PostgreSQL, two instances', instances);
    for (const boss of instances) await boss.stop({ graceful: false, close: true });
  });

  // pg-boss on PGlite: PGlite's own query interface handed to pg-boss as its database.
  const memory = await PGlite.create();
  const boss = new PgBoss({
    db: {
      executeSql: async (text: string, values?: unknown[]) =>
        values && values.length > 0 ? memory.query(text, values) : (await memory.exec(text)).at(-1),
    },
  });
  boss.on('error', (error) => console.error('pg-boss on PGlite:', error.message));
  try {
    await boss.start();
    await measurePgBoss('pg-boss 10, PGlite, one instance', [boss]);
    await boss.stop({ graceful: false, close: false });
  } catch (error) {
    print('pg-boss 10, PGlite', { fails: error instanceof Error ? error.message : String(error) });
  }
  await memory.close();
}

await main();
process.exit(0);
