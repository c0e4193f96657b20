import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { GateRateClass } from '../modules/gate/gate.js';

/** What the metrics read at scrape time: the outbox, the jobs and the database's queue. */
export interface MetricSources {
  outboxBacklog(): Promise<{ pending: number; oldestPendingSeconds: number; failed: number }>;
  jobBacklog(): Promise<{ queued: number; oldestQueuedSeconds: number; failed: number }>;
  jobsAlive(): boolean;
  databaseWaiting(): number;
  databaseKind: 'postgres' | 'pglite';
}

/**
 * The Prometheus metrics of one running Switchboard, in a registry of its own (several servers in
 * one process, as in the tests, do not share counts). Labels are bounded: a door, a method, a route
 * pattern (never the requested URL) and a status code.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'switchboard_http_requests_total',
    help: 'HTTP requests answered, per door (v1, console, staff, other), method, route pattern and status',
    labelNames: ['door', 'method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  readonly duration = new Histogram({
    name: 'switchboard_http_request_duration_seconds',
    help: 'Time from receiving a request to answering it, per door, method and route pattern',
    labelNames: ['door', 'method', 'route'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  /** Requests the /v1 gate refused for the account's rate limit (429), per rate class. */
  readonly rateLimitRefusals = new Counter({
    name: 'switchboard_rate_limit_refusals_total',
    help: 'API requests refused with 429 because the account used its rate limit, per rate class',
    labelNames: ['class'] as const,
    registers: [this.registry],
  });
  /** Failed job attempts in this instance, per job name (a bounded set: the registered jobs). */
  readonly jobFailures = new Counter({
    name: 'switchboard_job_failures_total',
    help: 'Job attempts that failed in this instance (retried or, after the last attempt, failed), per job',
    labelNames: ['job'] as const,
    registers: [this.registry],
  });

  constructor(sources: MetricSources, options: { processMetrics: boolean }) {
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry });
    const registers = [this.registry];
    // One query per scrape fills the three outbox gauges.
    let backlog: Promise<{ pending: number; oldestPendingSeconds: number; failed: number }> | undefined;
    const readBacklog = () => {
      backlog ??= sources.outboxBacklog().finally(() => {
        backlog = undefined;
      });
      return backlog;
    };
    new Gauge({
      name: 'switchboard_outbox_pending',
      help: 'Messages (emails, SMS and voice codes) waiting in the outbox to be delivered',
      registers,
      async collect() {
        this.set((await readBacklog()).pending);
      },
    });
    new Gauge({
      name: 'switchboard_outbox_oldest_pending_age_seconds',
      help: 'Age of the oldest message still waiting in the outbox (0 when none waits)',
      registers,
      async collect() {
        this.set((await readBacklog()).oldestPendingSeconds);
      },
    });
    new Gauge({
      name: 'switchboard_outbox_failed',
      help: 'Messages the outbox gave up on after their last attempt',
      registers,
      async collect() {
        this.set((await readBacklog()).failed);
      },
    });
    let jobs: Promise<{ queued: number; oldestQueuedSeconds: number; failed: number }> | undefined;
    const readJobs = () => {
      jobs ??= sources.jobBacklog().finally(() => {
        jobs = undefined;
      });
      return jobs;
    };
    new Gauge({
      name: 'switchboard_jobs_queued',
      help: 'Background jobs due and waiting for a runner (the queue depth)',
      registers,
      async collect() {
        this.set((await readJobs()).queued);
      },
    });
    new Gauge({
      name: 'switchboard_jobs_oldest_queued_age_seconds',
      help: 'How long the longest-waiting due job has waited (0 when none waits)',
      registers,
      async collect() {
        this.set((await readJobs()).oldestQueuedSeconds);
      },
    });
    new Gauge({
      name: 'switchboard_jobs_failed',
      help: 'Jobs that failed after their last attempt and wait for staff (Jobs page: retry)',
      registers,
      async collect() {
        this.set((await readJobs()).failed);
      },
    });
    new Gauge({
      name: 'switchboard_jobs_runner_up',
      help: 'Whether the jobs runner of this instance is running: 1 or 0',
      registers,
      collect() {
        this.set(sources.jobsAlive() ? 1 : 0);
      },
    });
    new Gauge({
      name: 'switchboard_database_waiting_queries',
      help: 'Queries waiting for a database connection (PostgreSQL pool) or for the embedded database lock (PGlite)',
      labelNames: ['driver'] as const,
      registers,
      collect() {
        this.set({ driver: sources.databaseKind }, sources.databaseWaiting());
      },
    });
  }

  /** Counts a failed job attempt; the runner is handed this, not the registry. */
  readonly countJobFailure = (job: string): void => {
    this.jobFailures.inc({ job });
  };

  /** Counts a /v1 rate-limit refusal; the gate is handed this, not the registry. */
  readonly countRateLimitRefusal = (rateClass: GateRateClass): void => {
    this.rateLimitRefusals.inc({ class: rateClass });
  };
}
