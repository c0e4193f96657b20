import { AsyncLocalStorage } from 'node:async_hooks';
import type { Transaction } from 'kysely';
import type { Database } from './schema.js';

/** What a transaction's async context knows: whether it holds the connection, and the transaction once open. */
export interface TransactionScope {
  /** Set when the transaction took its connection: a second acquire from inside would wait forever on PGlite. */
  acquired: boolean;
  open?: {
    trx: Transaction<Database>;
    afterCommit: (() => void)[];
    /** Accounts whose rows this transaction has locked (FOR NO KEY UPDATE or by updating them). */
    lockedAccounts: Set<string>;
  };
}

/**
 * The async context of open transactions, switched on only while one is open. On Node 20 an
 * enabled AsyncLocalStorage tags every promise and tick the process makes, transaction or not: a
 * minimal Fastify route answered 11% fewer requests a second with one enabled, and the API gate,
 * which opens no transaction, paid that on every request.
 */
class TransactionContext {
  readonly #storage = new AsyncLocalStorage<TransactionScope>();
  #openScopes = 0;

  async run<T>(scope: TransactionScope, fn: () => Promise<T>): Promise<T> {
    this.#openScopes++;
    try {
      return await this.#storage.run(scope, fn);
    } finally {
      // With no transaction left open nothing can ask for a scope, so nothing needs tagging.
      if (--this.#openScopes === 0) this.#storage.disable();
    }
  }

  current(): TransactionScope | undefined {
    return this.#openScopes > 0 ? this.#storage.getStore() : undefined;
  }
}

export const transactionContext = new TransactionContext();
