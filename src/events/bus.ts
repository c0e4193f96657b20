import { transactionContext } from '../db/transaction-context.js';
import type { EventName, EventPayload } from './catalog.js';

type Handler<N extends EventName> = (payload: EventPayload<N>) => Promise<void>;

/**
 * Domain events: a service publishes what happened inside its transaction, and modules that care
 * react. A handler run during the transaction commits with the publisher's writes, or refuses by
 * throwing and rolls them all back.
 */
export class EventBus {
  readonly #duringTransaction = new Map<EventName, Handler<never>[]>();

  /** Runs the handler inside each publishing transaction, in the order handlers were added; a throw rolls the transaction back. */
  duringTransaction<N extends EventName>(name: N, handler: Handler<N>): void {
    const handlers = this.#duringTransaction.get(name) ?? [];
    handlers.push(handler as Handler<never>);
    this.#duringTransaction.set(name, handlers);
  }

  /** Publishes an event from inside the transaction that makes it true; outside one it is a programming error. */
  async publish<N extends EventName>(name: N, payload: EventPayload<N>): Promise<void> {
    if (!transactionContext.current()?.open)
      throw new Error(`${name} was published outside a transaction: publish it with the change it announces`);
    for (const handler of this.#duringTransaction.get(name) ?? []) await (handler as Handler<N>)(payload);
  }
}
