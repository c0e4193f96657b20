import type { Static, TSchema } from '@sinclair/typebox';

/** What a handler knows of the run it is in: the job's id and which attempt this is (1 for the first). */
export interface JobRun {
  id: string;
  attempt: number;
}

export interface RetryPolicy {
  /** Attempts in all, the first included; after the last one fails the job is `failed`. */
  limit: number;
  /** The wait before the second attempt; each later wait doubles. */
  backoffSeconds: number;
}

export interface JobSchedule {
  /** The length of a period: the job runs once in each, counted from the Unix epoch. */
  everySeconds: number;
  /**
   * Run in every instance on its own (for work on what the instance holds in memory, such as the
   * request log's buffer) instead of once per period across all instances; such runs keep no row.
   */
  eachInstance?: boolean;
}

/**
 * A kind of background work, declared once: its name, its payload's schema, its handler, how it is
 * retried and, optionally, its schedule. Handlers run at least once per job (a runner may die after
 * the work and before recording it), so they must be idempotent.
 */
export interface JobDefinition<Payload extends TSchema = TSchema> {
  name: string;
  payload: Payload;
  handle(payload: Static<Payload>, job: JobRun): Promise<void>;
  retry: RetryPolicy;
  schedule?: JobSchedule;
}

/** Five attempts, 10 s, 20 s, 40 s and 80 s apart: a minute and a half of an unreachable dependency. */
const DEFAULT_RETRY: RetryPolicy = { limit: 5, backoffSeconds: 10 };

export function defineJob<Payload extends TSchema>(definition: {
  name: string;
  payload: Payload;
  handle: (payload: Static<Payload>, job: JobRun) => Promise<void>;
  retry?: RetryPolicy;
  schedule?: JobSchedule;
}): JobDefinition<Payload> {
  if (!/^[a-z][a-z0-9_-]*(\.[a-z][a-z0-9_-]*)*$/.test(definition.name))
    throw new Error(`A job name is dotted lower-case words: ${definition.name}`);
  const retry = definition.retry ?? DEFAULT_RETRY;
  if (!Number.isInteger(retry.limit) || retry.limit < 1)
    throw new Error(`${definition.name}: retry.limit >= 1`);
  if (definition.schedule && !(definition.schedule.everySeconds >= 1))
    throw new Error(`${definition.name}: schedule.everySeconds >= 1`);
  return { ...definition, retry };
}

/** The wait before the next attempt once `attempt` failed: backoff doubling from the first retry. */
export function backoffSeconds(retry: RetryPolicy, attempt: number): number {
  return retry.backoffSeconds * 2 ** Math.max(0, attempt - 1);
}
