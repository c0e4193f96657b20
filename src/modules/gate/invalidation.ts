import { EventEmitter } from 'node:events';
import { sql } from 'kysely';
import { afterCommit, type Db, executor } from '../../db/database.js';

/** The channel that tells every instance an account's credentials, allowlist, limits or state changed. */
export const ACCOUNT_CHANGED_CHANNEL = 'sb_account_changed';

type AccountChanges = EventEmitter<{ changed: [authId: string] }>;
const localChanges = new WeakMap<Db, AccountChanges>();

/** An instance hears its own changes at commit, without waiting for the database's notification. */
export function localAccountChanges(db: Db): AccountChanges {
  let emitter = localChanges.get(db);
  if (!emitter) {
    emitter = new EventEmitter();
    localChanges.set(db, emitter);
  }
  return emitter;
}

/**
 * Announces a change to everything the gate caches about an account. Sent inside the caller's
 * transaction, so other instances hear it only once the change is committed.
 */
export async function announceAccountChange(db: Db, accountId: string): Promise<void> {
  const { rows } = await sql<{ auth_id: string }>`
    SELECT auth_id, pg_notify(${ACCOUNT_CHANGED_CHANNEL}, auth_id) FROM accounts WHERE id = ${accountId}`.execute(
    executor(db),
  );
  const authId = rows[0]?.auth_id;
  if (authId) afterCommit(() => localAccountChanges(db).emit('changed', authId));
}
