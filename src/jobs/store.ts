import { sql } from 'kysely';
import { type Db, executor } from '../db/database.js';
import type { JobState } from '../db/schema.js';

export interface ClaimedJob {
  id: string;
  name: string;
  payload: unknown;
  attempts: number;
  maxAttempts: number;
}

export interface JobCounts {
  name: string;
  state: JobState;
  count: number;
}

export interface FailedJob {
  id: string;
  name: string;
  key: string | null;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  failedAt: Date | null;
}

/** What waits: jobs due and not yet claimed, how long the oldest of them has waited, and the failed. */
export interface JobBacklog {
  queued: number;
  oldestQueuedSeconds: number;
  failed: number;
}

const ERROR_LENGTH = 2000;

/** The jobs table: enqueue, claim under a lease, record outcomes, and what staff and metrics read. */
export class JobStore {
  constructor(private readonly db: Db) {}

  /** Writes in the caller's transaction when one is open; answers undefined when the key was taken. */
  async insert(job: {
    name: string;
    key: string | null;
    payload: unknown;
    maxAttempts: number;
    runAt: Date;
  }): Promise<string | undefined> {
    const row = await executor(this.db)
      .insertInto('jobs')
      .values({
        name: job.name,
        key: job.key,
        payload: JSON.stringify(job.payload),
        max_attempts: job.maxAttempts,
        run_at: job.runAt,
      })
      .onConflict((conflict) => conflict.columns(['name', 'key']).doNothing())
      .returning('id')
      .executeTakeFirst();
    return row ? String(row.id) : undefined;
  }

  /** Several jobs in one statement (in the caller's transaction when one is open); answers the ids of those added (a taken key adds none). */
  async insertMany(
    jobs: readonly { name: string; key: string | null; payload: unknown; maxAttempts: number; runAt: Date }[],
  ): Promise<string[]> {
    if (jobs.length === 0) return [];
    const rows = await executor(this.db)
      .insertInto('jobs')
      .values(
        jobs.map((job) => ({
          name: job.name,
          key: job.key,
          payload: JSON.stringify(job.payload),
          max_attempts: job.maxAttempts,
          run_at: job.runAt,
        })),
      )
      .onConflict((conflict) => conflict.columns(['name', 'key']).doNothing())
      .returning('id')
      .execute();
    return rows.map((row) => String(row.id));
  }

  /**
   * Claims up to `limit` due jobs of the given names in one statement: queued ones whose time has
   * come, and running ones whose lease ran out (their runner died). Rows another runner is claiming
   * are skipped, not waited for, so N runners claim disjoint jobs.
   */
  async claim(
    names: readonly string[],
    now: Date,
    leaseSeconds: number,
    limit: number,
  ): Promise<ClaimedJob[]> {
    if (names.length === 0) return [];
    const rows = await this.db
      .updateTable('jobs')
      .set({
        state: 'running',
        attempts: sql<number>`attempts + 1`,
        locked_until: new Date(now.getTime() + leaseSeconds * 1000),
      })
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('jobs')
          .select('id')
          .where('name', 'in', names)
          .where((w) =>
            w.or([
              w.and([w('state', '=', 'queued'), w('run_at', '<=', now)]),
              w.and([w('state', '=', 'running'), w('locked_until', '<=', now)]),
            ]),
          )
          .orderBy('run_at')
          .limit(limit)
          .forUpdate()
          .skipLocked(),
      )
      .returning(['id', 'name', 'payload', 'attempts', 'max_attempts'])
      .execute();
    return rows.map((row) => ({
      id: String(row.id),
      name: row.name,
      payload: row.payload,
      attempts: row.attempts,
      maxAttempts: row.max_attempts,
    }));
  }

  /** Records successes in one statement; only the claim of each attempt may (not a runner whose lease ran out). */
  async complete(jobs: readonly ClaimedJob[], now: Date): Promise<void> {
    if (jobs.length === 0) return;
    const claims = jobs.map((job) => sql`(${BigInt(job.id)}::bigint, ${job.attempts}::int)`);
    await this.db
      .updateTable('jobs')
      .set({ state: 'completed', finished_at: now, locked_until: null, last_error: null })
      .where('state', '=', 'running')
      .where(sql<boolean>`(id, attempts) in (${sql.join(claims)})`)
      .execute();
  }

  /** Records a failed attempt: queued again at `retryAt`, or failed for good when there is none. */
  async fail(job: ClaimedJob, now: Date, error: string, retryAt: Date | undefined): Promise<void> {
    await this.db
      .updateTable('jobs')
      .set(
        retryAt
          ? { state: 'queued', run_at: retryAt, locked_until: null, last_error: error.slice(0, ERROR_LENGTH) }
          : {
              state: 'failed',
              finished_at: now,
              locked_until: null,
              last_error: error.slice(0, ERROR_LENGTH),
            },
      )
      .where('id', '=', BigInt(job.id))
      .where('attempts', '=', job.attempts)
      .where('state', '=', 'running')
      .execute();
  }

  /** A failed job back in the queue with its attempts renewed; its last error stays until it runs. */
  async retry(id: string, now: Date): Promise<{ name: string } | undefined> {
    return executor(this.db)
      .updateTable('jobs')
      .set({ state: 'queued', attempts: 0, run_at: now, finished_at: null })
      .where('id', '=', BigInt(id))
      .where('state', '=', 'failed')
      .returning('name')
      .executeTakeFirst();
  }

  async counts(): Promise<JobCounts[]> {
    const rows = await this.db
      .selectFrom('jobs')
      .select(['name', 'state', sql<string>`count(*)`.as('count')])
      .groupBy(['name', 'state'])
      .orderBy('name')
      .orderBy('state')
      .execute();
    return rows.map((row) => ({ name: row.name, state: row.state, count: Number(row.count) }));
  }

  async failures(limit: number): Promise<FailedJob[]> {
    const rows = await this.db
      .selectFrom('jobs')
      .select(['id', 'name', 'key', 'attempts', 'last_error', 'created_at', 'finished_at'])
      .where('state', '=', 'failed')
      .orderBy('finished_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((row) => ({
      id: String(row.id),
      name: row.name,
      key: row.key,
      attempts: row.attempts,
      lastError: row.last_error,
      createdAt: row.created_at,
      failedAt: row.finished_at,
    }));
  }

  async backlog(now: Date): Promise<JobBacklog> {
    const row = await this.db
      .selectFrom('jobs')
      .select([
        sql<string>`count(*) filter (where state = 'queued' and run_at <= ${now})`.as('queued'),
        sql<string>`count(*) filter (where state = 'failed')`.as('failed'),
        sql<Date | null>`min(run_at) filter (where state = 'queued' and run_at <= ${now})`.as('oldest'),
      ])
      .executeTakeFirstOrThrow();
    return {
      queued: Number(row.queued),
      failed: Number(row.failed),
      oldestQueuedSeconds:
        row.oldest === null ? 0 : Math.max(0, (now.getTime() - row.oldest.getTime()) / 1000),
    };
  }

  /** Deletes jobs finished longer ago than their kind is kept, by the database's clock (never a test's moved one). */
  async purge(kept: { completedDays: number; failedDays: number }): Promise<void> {
    await this.db
      .deleteFrom('jobs')
      .where((w) =>
        w.or([
          w.and([
            w('state', '=', 'completed'),
            w('finished_at', '<', sql<Date>`now() - make_interval(days => ${kept.completedDays})`),
          ]),
          w.and([
            w('state', '=', 'failed'),
            w('finished_at', '<', sql<Date>`now() - make_interval(days => ${kept.failedDays})`),
          ]),
        ]),
      )
      .execute();
  }
}
