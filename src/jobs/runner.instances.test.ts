import { Type } from '@sinclair/typebox';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/support/database.js';
import { type DatabaseHandle, openDatabase } from '../db/database.js';
import type { Clock } from '../lib/clock.js';
import { defineJob } from './definition.js';
import { Jobs } from './runner.js';

// Two runners over two connection pools on one PostgreSQL database, as two instances behind a load
// balancer. PGlite is one process's embedded database: there is no second instance to race.
const shared = process.env.TEST_TARGET === 'postgres';

describe.runIf(shared)('two jobs runners on one PostgreSQL database', () => {
  let created: DatabaseHandle & { url?: string };
  let first: DatabaseHandle;
  let second: DatabaseHandle;
  beforeAll(async () => {
    created = await createTestDatabase();
    first = await openDatabase({ databaseUrl: created.url as string });
    second = await openDatabase({ databaseUrl: created.url as string });
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
    await created?.close();
  });

  const log = pino({ level: 'silent' });
  let ms = Date.UTC(2031, 5, 1);
  const clock: Clock = { now: () => new Date(ms) };

  function runners(handlers: { scheduled?: (jobId: string) => void; work?: (n: number) => Promise<void> }) {
    return [first, second].map((database) => {
      const jobs = new Jobs({ db: database.db, clock, log, batch: 3 });
      jobs.register(
        defineJob({
          name: 'test.every-minute',
          payload: Type.Object({}),
          schedule: { everySeconds: 60 },
          handle: async (_payload, job) => handlers.scheduled?.(job.id),
        }),
      );
      jobs.register(
        defineJob({
          name: 'test.work',
          payload: Type.Object({ n: Type.Number() }),
          handle: async ({ n }) => handlers.work?.(n),
        }),
      );
      return jobs;
    });
  }

  it('runs a scheduled job once per period though both runners enqueue and claim it at once', async () => {
    const runs: string[] = [];
    const [a, b] = runners({ scheduled: (jobId) => runs.push(jobId) }) as [Jobs, Jobs];
    for (let period = 0; period < 5; period++) {
      await Promise.all([a.drain(), b.drain(), a.drain(), b.drain()]);
      ms += 60_000;
    }
    expect(runs).toHaveLength(5);
    expect(new Set(runs).size).toBe(5);
  });

  it('shares queued work between the runners, each job run once', async () => {
    const ran: number[] = [];
    const [a, b] = runners({
      work: async (n) => {
        ran.push(n);
        await new Promise((resolve) => setImmediate(resolve));
      },
    }) as [Jobs, Jobs];
    for (let n = 0; n < 60; n++) await a.enqueue('test.work', { n });
    await Promise.all([a.drain(), b.drain()]);
    expect(ran.sort((x, y) => x - y)).toEqual(Array.from({ length: 60 }, (_, n) => n));
  });
});
