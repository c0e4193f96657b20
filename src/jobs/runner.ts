import { AsyncResource } from 'node:async_hooks';
import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { Logger } from 'pino';
import { afterCommit, type Db } from '../db/database.js';
import type { Clock } from '../lib/clock.js';
import { backoffSeconds, type JobDefinition } from './definition.js';
import { type ClaimedJob, type JobBacklog, JobStore } from './store.js';

export interface JobsOptions {
  db: Db;
  clock: Clock;
  log: Logger;
  /** How long a claimed job is this runner's; past it another runner may claim it again. Default 120. */
  leaseSeconds?: number;
  /** Jobs claimed, and run side by side, at a time. Default 10. */
  batch?: number;
  /** Called once per failed attempt (the metrics count them). */
  onFailure?: (name: string) => void;
}

export interface EnqueueOptions {
  /** Makes the enqueue idempotent: a second job of the same name and key is not added. */
  key?: string;
  /** Not before this time; default now. */
  runAt?: Date;
}

/**
 * Runs every kind of background work. Jobs are rows claimed with FOR UPDATE SKIP LOCKED under a
 * lease, so any number of instances may run a runner: each job runs at least once, retried with
 * backoff, and ends `completed` or `failed` with its last error. A scheduled job is enqueued with
 * its period as its key, so it runs once per period however many instances enqueue it.
 */
export class Jobs {
  readonly store: JobStore;
  readonly #definitions = new Map<string, JobDefinition>();
  readonly #db: Db;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #leaseSeconds: number;
  readonly #batch: number;
  readonly #onFailure: (name: string) => void;
  /** The period each scheduled job was last enqueued for by this runner (ms since the epoch). */
  readonly #scheduled = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #started = false;
  #stopped = false;
  /** When the runner last finished a batch or a round (ms since the epoch): its heartbeat for /readyz. */
  #lastBeat = 0;

  constructor(options: JobsOptions) {
    this.#db = options.db;
    this.#clock = options.clock;
    this.#log = options.log;
    this.#leaseSeconds = options.leaseSeconds ?? 120;
    this.#batch = options.batch ?? 10;
    this.#onFailure = options.onFailure ?? (() => {});
    this.store = new JobStore(this.#db);
  }

  /** Declares a job this runner runs; each name once. */
  register<Payload extends TSchema>(definition: JobDefinition<Payload>): void {
    if (this.#definitions.has(definition.name)) throw new Error(`Job ${definition.name} is registered twice`);
    this.#definitions.set(definition.name, definition as unknown as JobDefinition);
  }

  /**
   * Adds a job. Inside a transaction it is written there (same commit or none); the runner is
   * woken once it commits. Answers the job's id, or undefined when its key was already taken.
   */
  async enqueue(name: string, payload: unknown, options: EnqueueOptions = {}): Promise<string | undefined> {
    const definition = this.#definition(name);
    if (!Value.Check(definition.payload, payload))
      throw new Error(`The payload of job ${name} does not match its schema`);
    const id = await this.store.insert({
      name,
      key: options.key ?? null,
      payload,
      maxAttempts: definition.retry.limit,
      runAt: options.runAt ?? this.#clock.now(),
    });
    if (id !== undefined) afterCommit(this.nudge);
    return id;
  }

  /**
   * Adds several jobs in one statement (for work that decides many at once, such as the alerts of
   * one posting), as `enqueue` does each. Answers the ids of the jobs added.
   */
  async enqueueMany(
    jobs: readonly { name: string; payload: unknown; options?: EnqueueOptions }[],
  ): Promise<string[]> {
    const now = this.#clock.now();
    const rows = jobs.map(({ name, payload, options = {} }) => {
      const definition = this.#definition(name);
      if (!Value.Check(definition.payload, payload))
        throw new Error(`The payload of job ${name} does not match its schema`);
      return {
        name,
        key: options.key ?? null,
        payload,
        maxAttempts: definition.retry.limit,
        runAt: options.runAt ?? now,
      };
    });
    const ids = await this.store.insertMany(rows);
    if (ids.length > 0) afterCommit(this.nudge);
    return ids;
  }

  start(pollMs = 1000): void {
    this.#started = true;
    this.#lastBeat = Date.now();
    this.#timer = setInterval(this.nudge, pollMs);
    this.#timer.unref();
    this.nudge();
  }

  /**
   * Asks for a round soon. Bound to the runner's own async context: a nudge from inside a
   * request's transaction must not run the round inside it.
   */
  readonly nudge = AsyncResource.bind((): void => {
    if (!this.#started || this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = this.#round(() => this.#stopped)
      .catch((error: unknown) => this.#log.error({ err: error }, 'a jobs round failed'))
      .finally(() => {
        this.#lastBeat = Date.now();
        this.#running = undefined;
        if (this.#again) {
          this.#again = false;
          setImmediate(this.nudge);
        }
      });
  });

  /**
   * Whether the runner runs: started, not stopped, and a batch or round finished within the last
   * minute (a round starts every second; one stuck for longer is not alive).
   */
  alive(now = Date.now()): boolean {
    return this.#started && !this.#stopped && now - this.#lastBeat < 60_000;
  }

  /** Stops claiming; the jobs in hand are finished and recorded before it resolves. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    await this.#running;
  }

  /** Queues a failed job again with fresh attempts (inside the caller's transaction when one is open). */
  async retry(id: string): Promise<{ name: string } | undefined> {
    const retried = await this.store.retry(id, this.#clock.now());
    if (retried) afterCommit(this.nudge);
    return retried;
  }

  /** What metrics read: jobs due and waiting, the oldest one's wait, and the failed. */
  backlog(): Promise<JobBacklog> {
    return this.store.backlog(this.#clock.now());
  }

  /**
   * Rounds until nothing is due (tests and the CLI call this): waits for the round the timer or a
   * nudge started, then runs its own as the runner's round, so a nudge meanwhile cannot start a
   * second round beside it; one asked for during it runs before this resolves. Afterwards every
   * job that was due has run, including those the jobs run here enqueued.
   */
  async drain(): Promise<void> {
    do {
      while (this.#running) await this.#running;
      this.#again = false;
      this.#running = this.#round(() => false).finally(() => {
        this.#running = undefined;
      });
      await this.#running;
    } while (this.#again);
  }

  /** Enqueues this period's scheduled jobs, runs each instance's own work, then runs what is due. */
  async #round(stopping: () => boolean): Promise<void> {
    await this.#enqueueSchedules();
    await this.#runInstanceWork();
    while (!stopping() && (await this.#runBatch()) === this.#batch) {
      this.#lastBeat = Date.now();
    }
  }

  #definition(name: string): JobDefinition {
    const definition = this.#definitions.get(name);
    if (!definition) throw new Error(`No job named ${name} is registered`);
    return definition;
  }

  #periodStart(everySeconds: number): number {
    const periodMs = everySeconds * 1000;
    return Math.floor(this.#clock.now().getTime() / periodMs) * periodMs;
  }

  async #enqueueSchedules(): Promise<void> {
    for (const definition of this.#definitions.values()) {
      const schedule = definition.schedule;
      if (!schedule || schedule.eachInstance) continue;
      const period = this.#periodStart(schedule.everySeconds);
      if (this.#scheduled.get(definition.name) === period) continue;
      const start = new Date(period);
      await this.store.insert({
        name: definition.name,
        key: `${definition.name}@${start.toISOString()}`,
        payload: {},
        maxAttempts: definition.retry.limit,
        runAt: start,
      });
      this.#scheduled.set(definition.name, period);
    }
  }

  /** Work on what this instance holds (no row, no retry: the next period runs it again). */
  async #runInstanceWork(): Promise<void> {
    for (const definition of this.#definitions.values()) {
      const schedule = definition.schedule;
      if (!schedule?.eachInstance) continue;
      const period = this.#periodStart(schedule.everySeconds);
      if (this.#scheduled.get(definition.name) === period) continue;
      this.#scheduled.set(definition.name, period);
      try {
        await definition.handle(
          {},
          { id: `${definition.name}@${new Date(period).toISOString()}`, attempt: 1 },
        );
      } catch (error) {
        this.#onFailure(definition.name);
        this.#log.error({ err: error, job: definition.name }, 'a job failed');
      }
    }
  }

  async #runBatch(): Promise<number> {
    const claimed = await this.store.claim(
      [...this.#definitions.keys()],
      this.#clock.now(),
      this.#leaseSeconds,
      this.#batch,
    );
    const outcomes = await Promise.all(claimed.map((job) => this.#run(job)));
    await this.store.complete(
      claimed.filter((_job, index) => outcomes[index]),
      this.#clock.now(),
    );
    return claimed.length;
  }

  /** Runs one job; answers whether it succeeded (successes are recorded together), recording a failure. */
  async #run(job: ClaimedJob): Promise<boolean> {
    const definition = this.#definition(job.name);
    let failure: string;
    if (job.attempts > job.maxAttempts) {
      failure = 'Its lease ran out on its last attempt: the runner holding it stopped.';
    } else if (!Value.Check(definition.payload, job.payload)) {
      failure = 'Its payload does not match the job’s schema.';
      job.maxAttempts = job.attempts;
    } else {
      try {
        await definition.handle(job.payload, { id: job.id, attempt: job.attempts });
        return true;
      } catch (error) {
        failure = error instanceof Error ? error.message : String(error);
      }
    }
    this.#onFailure(job.name);
    const now = this.#clock.now();
    const retryAt =
      job.attempts < job.maxAttempts
        ? new Date(now.getTime() + backoffSeconds(definition.retry, job.attempts) * 1000)
        : undefined;
    this.#log.warn(
      { job: job.name, jobId: job.id, attempt: job.attempts, reason: failure, retryAt },
      retryAt ? 'a job attempt failed; it will be retried' : 'a job failed after its last attempt',
    );
    await this.store.fail(job, now, failure, retryAt);
    return false;
  }
}
