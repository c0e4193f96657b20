import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PGlite, types } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import type { Client } from 'pg';
import { embeddedStartParams } from './embedded-settings.js';
import { PgliteDialect } from './pglite-driver.js';
import type { Database } from './schema.js';
import { type TransactionScope, transactionContext } from './transaction-context.js';

export type Db = Kysely<Database>;
export type Executor = Kysely<Database> | Transaction<Database>;

const jsonText = types.serializers[types.JSON] as (value: unknown) => string;
const INT8 = 20;
const INT8_ARRAY = 1016;
const DATE = 1082;
const TIMESTAMP = 1114;
const TIMESTAMPTZ = 1184;

/** One set of value parsers for both drivers: int8 as BigInt, DATE as 'YYYY-MM-DD', timestamps as Date. */
const parsers: Record<number, (value: string) => unknown> = {
  [INT8]: (value) => BigInt(value),
  [DATE]: (value) => value,
  [TIMESTAMP]: (value) => new Date(`${value.replace(' ', 'T')}Z`),
  [TIMESTAMPTZ]: (value) => new Date(value.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00')),
};

/** node-postgres's type parsing with Switchboard's parsers in front. */
function pgTypesOf(pg: typeof import('pg').default) {
  return {
    getTypeParser(oid: number, format?: 'text' | 'binary') {
      if (oid === INT8_ARRAY) {
        const parseArray = pg.types.getTypeParser(INT8_ARRAY as never, 'text') as (
          v: string,
        ) => (string | null)[];
        return (value: string) => parseArray(value).map((item) => (item === null ? null : BigInt(item)));
      }
      const parser = parsers[oid];
      if (parser) return parser;
      return pg.types.getTypeParser(oid, format ?? 'text');
    },
  };
}

export interface DatabaseHandle {
  db: Db;
  kind: 'postgres' | 'pglite';
  /** Subscribes to NOTIFY on a channel (delivered after the notifying transaction commits); answers an unsubscribe. */
  listen(channel: string, onMessage: (payload: string) => void): Promise<() => Promise<void>>;
  /** Queries waiting for a connection: the pool's queue (PostgreSQL) or the session lock's (PGlite). */
  waiting(): number;
  close(): Promise<void>;
}

/**
 * Creates a new embedded database (initdb) in a process of its own: initdb peaks near 800 MB, and
 * memory a WebAssembly instance once held is not given back, so creating it in the server's process
 * would leave the server that large until it restarts.
 */
function initEmbeddedDatabase(dir: string) {
  const pgliteModule = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const script = `const { PGlite } = await import(${JSON.stringify(pgliteModule)});
const db = await PGlite.create(${JSON.stringify(dir)});
await db.close();`;
  execFileSync(process.execPath, ['--input-type=module', '--eval', script], { stdio: 'inherit' });
}

/** Opens PostgreSQL when a URL is given, otherwise the embedded PGlite database in dataDir. */
export async function openDatabase(options: {
  databaseUrl?: string;
  pgliteDir?: string;
}): Promise<DatabaseHandle> {
  if (options.databaseUrl) {
    // node-postgres loads only when PostgreSQL is configured: the embedded default never holds it.
    const { default: pg } = await import('pg');
    const pool = new pg.Pool({ connectionString: options.databaseUrl, types: pgTypesOf(pg), max: 10 });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    const listeners = new Set<Client>();
    return {
      db,
      kind: 'postgres',
      async listen(channel, onMessage) {
        let client: Client | undefined;
        let stopped = false;
        // A dropped listener connection is replaced; '*' tells the subscriber it may have missed messages.
        const connect = async (): Promise<void> => {
          const next = new pg.Client({ connectionString: options.databaseUrl });
          next.on('notification', (message) => {
            if (message.channel === channel) onMessage(message.payload ?? '');
          });
          next.on('error', () => {
            listeners.delete(next);
            if (!stopped)
              setTimeout(
                () =>
                  connect().then(
                    () => onMessage('*'),
                    () => {},
                  ),
                1000,
              ).unref();
          });
          await next.connect();
          await next.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
          client = next;
          listeners.add(next);
        };
        await connect();
        return async () => {
          stopped = true;
          if (client) {
            listeners.delete(client);
            await client.end();
          }
        };
      },
      waiting: () => pool.waitingCount,
      async close() {
        await Promise.all([...listeners].map((client) => client.end()));
        listeners.clear();
        await db.destroy();
      },
    };
  }
  if (!options.pgliteDir) throw new Error('openDatabase needs a database URL or a PGlite directory');
  mkdirSync(options.pgliteDir, { recursive: true });
  if (!existsSync(path.join(options.pgliteDir, 'PG_VERSION'))) initEmbeddedDatabase(options.pgliteDir);
  const pglite = await PGlite.create(options.pgliteDir, {
    startParams: embeddedStartParams,
    // UTF-8 bytes given for a json value go to the database as they are, in the binary format (JSON
    // text either way), as node-postgres sends a Buffer: a large value is not turned into a string first.
    serializers: {
      [types.JSON]: (value: unknown) =>
        (value instanceof Uint8Array ? value : jsonText(value)) as unknown as string,
    },
    parsers: {
      ...parsers,
      [INT8_ARRAY]: (value: string) =>
        value
          .replace(/^\{|\}$/g, '')
          .split(',')
          .filter((item) => item !== '')
          .map((item) => (item === 'NULL' ? null : BigInt(item))),
    },
  });
  const dialect = new PgliteDialect(pglite);
  const db = new Kysely<Database>({ dialect });
  return {
    db,
    kind: 'pglite',
    listen: (channel, onMessage) => dialect.listen(channel, onMessage),
    waiting: () => dialect.mutex.waiting,
    close: () => db.destroy(),
  };
}

/**
 * Runs fn in a transaction; a call made while one is already open joins it, so services can
 * compose without passing handles. Everything fn writes commits together or not at all.
 */
export async function inTransaction<T>(db: Db, fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  const open = transactionContext.current()?.open;
  if (open) return fn(open.trx);
  const scope: TransactionScope = { acquired: false };
  const afterCommit: (() => void)[] = [];
  const result = await transactionContext.run(scope, () =>
    db.transaction().execute((trx) => {
      scope.open = { trx, afterCommit, lockedAccounts: new Set() };
      return fn(trx);
    }),
  );
  for (const hook of afterCommit) hook();
  return result;
}

/** Runs fn once the open transaction commits (never if it rolls back); at once when none is open. */
export function afterCommit(fn: () => void): void {
  const open = transactionContext.current()?.open;
  if (open) open.afterCommit.push(fn);
  else fn();
}

function openTransaction(what: string) {
  const open = transactionContext.current()?.open;
  if (!open) throw new Error(`${what} needs an open transaction`);
  return open;
}

/** The accounts among these whose rows the open transaction has not locked yet. */
export function accountsNotLocked(accountIds: Iterable<string>): string[] {
  const { lockedAccounts } = openTransaction('accountsNotLocked');
  return [...new Set(accountIds)].filter((id) => !lockedAccounts.has(id));
}

/** Notes accounts whose rows a statement of the open transaction locked (an UPDATE of them, say). */
export function noteAccountsLocked(accountIds: Iterable<string>): void {
  const { lockedAccounts } = openTransaction('noteAccountsLocked');
  for (const id of accountIds) lockedAccounts.add(id);
}

/**
 * Locks accounts' rows FOR NO KEY UPDATE (the lock the ledger and credit decisions take) in the
 * order of their ids, so transactions locking several at once never wait on each other in a cycle.
 * Rows the open transaction locked already are not asked for again: a lock is held until commit.
 */
export async function lockAccountRows(accountIds: Iterable<string>): Promise<void> {
  const open = openTransaction('lockAccountRows');
  const wanted = accountsNotLocked(accountIds).sort();
  if (wanted.length === 0) return;
  await sql`SELECT id FROM accounts WHERE id = ANY(${wanted}::uuid[]) ORDER BY id FOR NO KEY UPDATE`.execute(
    open.trx,
  );
  noteAccountsLocked(wanted);
}

/** The open transaction of this async context, or the root handle: stores query through this. */
export function executor(db: Db): Executor {
  return transactionContext.current()?.open?.trx ?? db;
}
