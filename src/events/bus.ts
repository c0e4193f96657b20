import { transactionContext } from '../db/transaction-context.js';
import { defineJob, type JobRun, type RetryPolicy } from '../jobs/definition.js';
import type { Jobs } from '../jobs/runner.js';
import { type EventName, type EventPayload, eventCatalog } from './catalog.js';

type Handler<N extends EventName> = (payload: EventPayload<N>) => Promise<void>;

/**
 * Domain events: a service publishes what happened inside its transaction, and modules that care
 * react. A handler run during the transaction commits with the publisher's writes, or refuses by
 * throwing and rolls them all back. A handler run after commit gets a job, enqueued in the
 * publishing transaction: it runs once the change is committed, at least once, on whichever
 * instance's runner claims it, even if the publishing instance stops first.
 */
export class EventBus {
  readonly #duringTransaction = new Map<EventName, Handler<never>[]>();
  /** The job names of each event's after-commit handlers. */
  readonly #afterCommit = new Map<EventName, string[]>();

  constructor(private readonly jobs: Pick<Jobs, 'register' | 'enqueue'>) {}

  /** Runs the handler inside each publishing transaction, in the order handlers were added; a throw rolls the transaction back. */
  duringTransaction<N extends EventName>(name: N, handler: Handler<N>): void {
    const handlers = this.#duringTransaction.get(name) ?? [];
    handlers.push(handler as Handler<never>);
    this.#duringTransaction.set(name, handlers);
  }

  /**
   * Runs the handler after each publishing transaction commits, as the job `event.<event>.<handler>`
   * (retried with backoff when it throws). It may run more than once, so it must be idempotent.
   */
  afterCommit<N extends EventName>(
    name: N,
    handlerName: string,
    handle: (payload: EventPayload<N>, job: JobRun) => Promise<void>,
    retry?: RetryPolicy,
  ): void {
    const job = defineJob({
      name: `event.${name}.${handlerName}`,
      payload: eventCatalog[name],
      handle: handle as (payload: unknown, job: JobRun) => Promise<void>,
      ...(retry ? { retry } : {}),
    });
    this.jobs.register(job);
    this.#afterCommit.set(name, [...(this.#afterCommit.get(name) ?? []), job.name]);
  }

  /** Publishes an event from inside the transaction that makes it true; outside one it is a programming error. */
  async publish<N extends EventName>(name: N, payload: EventPayload<N>): Promise<void> {
    if (!transactionContext.current()?.open)
      throw new Error(`${name} was published outside a transaction: publish it with the change it announces`);
    for (const handler of this.#duringTransaction.get(name) ?? []) await (handler as Handler<N>)(payload);
    for (const job of this.#afterCommit.get(name) ?? []) await this.jobs.enqueue(job, payload);
  }
}
