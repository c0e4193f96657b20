import type { PGlite } from '@electric-sql/pglite';
import {
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryResult,
} from 'kysely';
import { transactionContext } from './transaction-context.js';

/**
 * PGlite is a single database session. Kysely's transactions need that session to themselves,
 * so this driver hands the connection out under one lock from acquire to release: a
 * transaction is exclusive and other queries wait for it (ANSWERS.md, "PGlite is one session").
 */
export class PgliteDialect implements Dialect {
  /** One lock for the session: queries, transactions and LISTEN all take it. */
  readonly mutex = new Mutex();
  constructor(private readonly pglite: PGlite) {}
  createAdapter() {
    return new PostgresAdapter();
  }
  createDriver(): Driver {
    return new PgliteDriver(this.pglite, this.mutex);
  }

  /** Subscribes to NOTIFY on a channel; notifications arrive after the notifying transaction commits. */
  async listen(channel: string, onMessage: (payload: string) => void): Promise<() => Promise<void>> {
    const release = await this.mutex.lock();
    try {
      const unlisten = await this.pglite.listen(channel, onMessage);
      return async () => {
        const again = await this.mutex.lock();
        try {
          if (!this.pglite.closed) await unlisten();
        } finally {
          again();
        }
      };
    } finally {
      release();
    }
  }
  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }
  createIntrospector(db: Kysely<unknown>) {
    return new PostgresIntrospector(db);
  }
}

export class SelfDeadlockError extends Error {
  constructor() {
    super(
      'A query used the root database handle inside a transaction: use the transaction handle (PGlite has one session, this would wait forever)',
    );
  }
}

class Mutex {
  #tail: Promise<void> = Promise.resolve();
  /** Lock requests not yet granted (the /metrics gauge of PGlite lock wait). */
  waiting = 0;
  lock(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.waiting++;
    const acquired = this.#tail.then(() => {
      this.waiting--;
      return release;
    });
    this.#tail = this.#tail.then(() => next);
    return acquired;
  }
}

class PgliteDriver implements Driver {
  readonly #releases = new WeakMap<DatabaseConnection, () => void>();
  constructor(
    private readonly pglite: PGlite,
    private readonly mutex: Mutex,
  ) {}

  async init(): Promise<void> {
    await this.pglite.waitReady;
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    // Inside a transaction's async context a second acquire fails at once instead of waiting forever.
    const scope = transactionContext.current();
    if (scope?.acquired) throw new SelfDeadlockError();
    if (scope) scope.acquired = true;
    const release = await this.mutex.lock();
    const connection = new PgliteConnection(this.pglite);
    this.#releases.set(connection, release);
    return connection;
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as PgliteConnection).exec('BEGIN');
  }
  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as PgliteConnection).exec('COMMIT');
  }
  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as PgliteConnection).exec('ROLLBACK');
  }
  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    this.#releases.get(connection)?.();
    this.#releases.delete(connection);
  }
  async destroy(): Promise<void> {
    const release = await this.mutex.lock();
    try {
      if (!this.pglite.closed) await this.pglite.close();
    } finally {
      release();
    }
  }
}

class PgliteConnection implements DatabaseConnection {
  constructor(private readonly pglite: PGlite) {}

  async exec(sql: string): Promise<void> {
    await this.pglite.exec(sql);
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    // Without parameters the simple protocol runs (it accepts several statements, as migrations need).
    const result =
      compiledQuery.parameters.length === 0
        ? ((await this.pglite.exec(compiledQuery.sql)).at(-1) ?? { rows: [], affectedRows: 0 })
        : await this.pglite.query<R>(compiledQuery.sql, [...compiledQuery.parameters]);
    const affected = result.affectedRows;
    return {
      rows: result.rows as R[],
      ...(affected !== undefined && /^\s*(insert|update|delete|merge)/i.test(compiledQuery.sql)
        ? { numAffectedRows: BigInt(affected) }
        : {}),
    };
  }

  // biome-ignore lint/correctness/useYield: streaming is not offered by PGlite; refuse clearly
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('Streaming queries are not supported on the embedded database');
  }
}
