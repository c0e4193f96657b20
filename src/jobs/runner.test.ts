import { Type } from '@sinclair/typebox';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/support/database.js';
import { type DatabaseHandle, inTransaction } from '../db/database.js';
import type { Clock } from '../lib/clock.js';
import { defineJob } from './definition.js';
import { Jobs } from './runner.js';

let database: DatabaseHandle;
const log = pino({ level: 'silent' });

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

/** Time that moves only when the test moves it. */
class TestClock implements Clock {
  constructor(private ms = Date.UTC(2030, 0, 1)) {}
  now() {
    return new Date(this.ms);
  }
  advanceSeconds(seconds: number) {
    this.ms += seconds * 1000;
  }
}

let names = 0;
/** A job name of its own per test: the tests share one database. */
const uniqueName = (what: string) => `test.${what}-${++names}`;

async function jobRow(name: string) {
  return database.db.selectFrom('jobs').selectAll().where('name', '=', name).executeTakeFirstOrThrow();
}

describe('the jobs runner', () => {
  it('retries a failing job with doubling backoff, then keeps it failed with its last error', async () => {
    const clock = new TestClock();
    const jobs = new Jobs({ db: database.db, clock, log });
    const attempts: number[] = [];
    const name = uniqueName('flaky');
    jobs.register(
      defineJob({
        name,
        payload: Type.Object({ to: Type.String() }),
        retry: { limit: 3, backoffSeconds: 10 },
        async handle(_payload, job) {
          attempts.push(job.attempt);
          throw new Error(`gateway down (attempt ${job.attempt})`);
        },
      }),
    );
    await jobs.enqueue(name, { to: '+14155550100' });
    await jobs.drain();
    expect(attempts).toEqual([1]);
    expect(await jobRow(name)).toMatchObject({ state: 'queued', attempts: 1 });

    clock.advanceSeconds(9);
    await jobs.drain();
    expect(attempts).toEqual([1]);
    clock.advanceSeconds(1);
    await jobs.drain();
    expect(attempts).toEqual([1, 2]);

    clock.advanceSeconds(19);
    await jobs.drain();
    expect(attempts).toEqual([1, 2]);
    clock.advanceSeconds(1);
    await jobs.drain();
    expect(attempts).toEqual([1, 2, 3]);

    clock.advanceSeconds(3600);
    await jobs.drain();
    expect(attempts).toEqual([1, 2, 3]);
    const failed = await jobRow(name);
    expect(failed).toMatchObject({ state: 'failed', attempts: 3, last_error: 'gateway down (attempt 3)' });
    expect(failed.finished_at).toEqual(new Date(clock.now().getTime() - 3600_000));
    expect((await jobs.store.failures(50)).map((job) => job.name)).toContain(name);
    expect((await jobs.backlog()).failed).toBeGreaterThanOrEqual(1);
  });

  it('runs a failed job again when staff retry it', async () => {
    const clock = new TestClock();
    const jobs = new Jobs({ db: database.db, clock, log });
    let healthy = false;
    const name = uniqueName('retried');
    jobs.register(
      defineJob({
        name,
        payload: Type.Object({}),
        retry: { limit: 1, backoffSeconds: 1 },
        async handle() {
          if (!healthy) throw new Error('not yet');
        },
      }),
    );
    const id = (await jobs.enqueue(name, {})) as string;
    await jobs.drain();
    expect(await jobRow(name)).toMatchObject({ state: 'failed', last_error: 'not yet' });
    healthy = true;
    expect(await jobs.store.retry(id, clock.now())).toEqual({ name });
    expect(await jobs.store.retry(id, clock.now())).toBeUndefined();
    await jobs.drain();
    expect(await jobRow(name)).toMatchObject({ state: 'completed', attempts: 1, last_error: null });
  });

  it('adds a job once per key, however often it is enqueued', async () => {
    const jobs = new Jobs({ db: database.db, clock: new TestClock(), log });
    const runs: string[] = [];
    const name = uniqueName('keyed');
    jobs.register(
      defineJob({
        name,
        payload: Type.Object({ invoice: Type.String() }),
        async handle({ invoice }) {
          runs.push(invoice);
        },
      }),
    );
    const first = await jobs.enqueue(name, { invoice: 'inv-1' }, { key: 'inv-1' });
    const again = await jobs.enqueue(name, { invoice: 'inv-1' }, { key: 'inv-1' });
    const other = await jobs.enqueue(name, { invoice: 'inv-2' }, { key: 'inv-2' });
    expect(first).toBeDefined();
    expect(again).toBeUndefined();
    expect(other).toBeDefined();
    await jobs.drain();
    expect(await jobs.enqueue(name, { invoice: 'inv-1' }, { key: 'inv-1' })).toBeUndefined();
    await jobs.drain();
    expect(runs.sort()).toEqual(['inv-1', 'inv-2']);
  });

  it('commits a job with the transaction that enqueued it, or not at all', async () => {
    const jobs = new Jobs({ db: database.db, clock: new TestClock(), log });
    const name = uniqueName('transactional');
    jobs.register(defineJob({ name, payload: Type.Object({ n: Type.Number() }), handle: async () => {} }));
    await expect(
      inTransaction(database.db, async () => {
        await jobs.enqueue(name, { n: 1 });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    await inTransaction(database.db, () => jobs.enqueue(name, { n: 2 }));
    const rows = await database.db.selectFrom('jobs').select('payload').where('name', '=', name).execute();
    expect(rows.map((row) => row.payload)).toEqual([{ n: 2 }]);
  });

  it('adds several jobs in one call, each key once, with the transaction that enqueued them', async () => {
    const jobs = new Jobs({ db: database.db, clock: new TestClock(), log });
    const name = uniqueName('many');
    jobs.register(defineJob({ name, payload: Type.Object({ n: Type.Number() }), handle: async () => {} }));
    const added = await jobs.enqueueMany([
      { name, payload: { n: 1 }, options: { key: 'a' } },
      { name, payload: { n: 2 }, options: { key: 'b' } },
      { name, payload: { n: 3 } },
    ]);
    expect(added).toHaveLength(3);
    expect(await jobs.enqueueMany([{ name, payload: { n: 4 }, options: { key: 'a' } }])).toEqual([]);
    await expect(
      inTransaction(database.db, async () => {
        await jobs.enqueueMany([{ name, payload: { n: 5 } }]);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    const rows = await database.db.selectFrom('jobs').select('payload').where('name', '=', name).execute();
    expect(rows.map((row) => (row.payload as { n: number }).n).sort()).toEqual([1, 2, 3]);
    await expect(jobs.enqueueMany([{ name, payload: { n: 'six' } }])).rejects.toThrow('does not match');
  });

  it('refuses a payload its schema does not allow', async () => {
    const jobs = new Jobs({ db: database.db, clock: new TestClock(), log });
    const name = uniqueName('typed');
    jobs.register(defineJob({ name, payload: Type.Object({ n: Type.Number() }), handle: async () => {} }));
    await expect(jobs.enqueue(name, { n: 'one' })).rejects.toThrow(/does not match/);
    await expect(jobs.enqueue(uniqueName('unknown'), {})).rejects.toThrow(/No job named/);
  });

  it('finishes the job in hand when stopped, and claims nothing after', async () => {
    const jobs = new Jobs({ db: database.db, clock: new TestClock(), log });
    const name = uniqueName('slow');
    let release = () => {};
    const started = new Promise<void>((resolve) => {
      jobs.register(
        defineJob({
          name,
          payload: Type.Object({ n: Type.Number() }),
          async handle({ n }) {
            if (n === 1) {
              resolve();
              await new Promise<void>((done) => {
                release = done;
              });
            }
          },
        }),
      );
    });
    await jobs.enqueue(name, { n: 1 });
    jobs.start(60_000);
    await started;
    const stopped = jobs.stop();
    await jobs.enqueue(name, { n: 2 });
    release();
    await stopped;
    expect(jobs.alive()).toBe(false);
    const rows = await database.db
      .selectFrom('jobs')
      .select(['payload', 'state'])
      .where('name', '=', name)
      .orderBy('id')
      .execute();
    expect(rows).toEqual([
      { payload: { n: 1 }, state: 'completed' },
      { payload: { n: 2 }, state: 'queued' },
    ]);
  });

  it('claims a job again once the lease of a runner that died holding it runs out', async () => {
    const clock = new TestClock();
    const name = uniqueName('orphaned');
    const runs: number[] = [];
    const definition = defineJob({
      name,
      payload: Type.Object({}),
      async handle(_payload, job) {
        runs.push(job.attempt);
      },
    });
    const dead = new Jobs({ db: database.db, clock, log, leaseSeconds: 120 });
    dead.register(definition);
    await dead.enqueue(name, {});
    // The dead runner claimed it and never recorded an outcome.
    expect(await dead.store.claim([name], clock.now(), 120, 10)).toHaveLength(1);
    const survivor = new Jobs({ db: database.db, clock, log });
    survivor.register(definition);
    await survivor.drain();
    expect(runs).toEqual([]);
    clock.advanceSeconds(120);
    await survivor.drain();
    expect(runs).toEqual([2]);
    expect(await jobRow(name)).toMatchObject({ state: 'completed', attempts: 2 });
  });

  it('runs a scheduled job once per period, and an instance job in every runner', async () => {
    const clock = new TestClock();
    const name = uniqueName('hourly');
    const local = uniqueName('local');
    const periods: string[] = [];
    const localRuns: string[] = [];
    const runners = [0, 1].map(() => {
      const jobs = new Jobs({ db: database.db, clock, log });
      jobs.register(
        defineJob({
          name,
          payload: Type.Object({}),
          schedule: { everySeconds: 3600 },
          async handle(_payload, job) {
            periods.push(job.id);
          },
        }),
      );
      jobs.register(
        defineJob({
          name: local,
          payload: Type.Object({}),
          schedule: { everySeconds: 1, eachInstance: true },
          async handle(_payload, job) {
            localRuns.push(job.id);
          },
        }),
      );
      return jobs;
    });
    for (const jobs of runners) await jobs.drain();
    for (const jobs of runners) await jobs.drain();
    expect(periods).toHaveLength(1);
    expect(localRuns).toHaveLength(2);
    clock.advanceSeconds(1800);
    for (const jobs of runners) await jobs.drain();
    expect(periods).toHaveLength(1);
    clock.advanceSeconds(1800);
    for (const jobs of runners) await jobs.drain();
    expect(periods).toHaveLength(2);
    const keys = await database.db.selectFrom('jobs').select('key').where('name', '=', name).execute();
    expect(keys.map((row) => row.key).sort()).toEqual([
      `${name}@2030-01-01T00:00:00.000Z`,
      `${name}@2030-01-01T01:00:00.000Z`,
    ]);
  });

  it('drains jobs that the jobs it ran enqueued, with the runner started and nudged meanwhile', async () => {
    const clock = new TestClock();
    const jobs = new Jobs({ db: database.db, clock, log });
    const ran: string[] = [];
    const first = uniqueName('first');
    const second = uniqueName('second');
    jobs.register(
      defineJob({
        name: first,
        payload: Type.Object({}),
        async handle() {
          ran.push(first);
          await jobs.enqueue(second, {});
        },
      }),
    );
    jobs.register(
      defineJob({
        name: second,
        payload: Type.Object({}),
        async handle() {
          await new Promise((resolve) => setTimeout(resolve, 20));
          ran.push(second);
        },
      }),
    );
    jobs.start(60_000);
    await jobs.drain();
    await jobs.enqueue(first, {});
    await jobs.drain();
    expect(ran).toEqual([first, second]);
    await jobs.stop();
  });
});
