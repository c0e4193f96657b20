import { EventEmitter } from 'node:events';
import { sql } from 'kysely';
import { afterCommit, type Db, executor } from '../../db/database.js';

/** The channel that tells every instance an account's credentials, allowlist, limits or state changed. */
export const ACCOUNT_CHANGED_CHANNEL = 'sb_account_changed';

type AccountChanges = EventEmitter<{ changed: [authId: string] }>;
const changesByDb = new WeakMap<Db, AccountChanges>();

/**
 * The account changes this instance hears, by Auth ID: its own at commit, without waiting for the
 * database's notification, and every instance's by that notification ("*" when some may have been
 * missed). Listeners run in the order they subscribed, the gate's cache first.
 */
export function accountChanges(db: Db): AccountChanges {
  let emitter = changesByDb.get(db);
  if (!emitter) {
    emitter = new EventEmitter();
    changesByDb.set(db, emitter);
  }
  return emitter;
}

/** The events after which the gate must forget an account: each changes something it caches. */
export const gateInvalidatingEvents = [
  'account.changed',
  'account.status_changed',
  'credential.revoked',
  'api_key.revoked',
] as const;

/**
 * Announces a change to anything that admits an account's API requests: its status, enabled
 * switch or deletion, IP whitelist, auth tokens or rate limits (and the details the gate caches).
 * Every instance then forgets the account and, for a main account, all its subaccounts, whose
 * state, whitelist and limits are the main account's. Sent inside the caller's transaction, so
 * other instances hear it only once the change is committed. The gate runs it for each of
 * gateInvalidatingEvents, inside the publishing transaction.
 */
export async function announceAccountChange(db: Db, accountId: string): Promise<void> {
  const { rows } = await sql<{ auth_id: string }>`
    SELECT auth_id, pg_notify(${ACCOUNT_CHANGED_CHANNEL}, auth_id) FROM accounts WHERE id = ${accountId}`.execute(
    executor(db),
  );
  const authId = rows[0]?.auth_id;
  if (authId) afterCommit(() => accountChanges(db).emit('changed', authId));
}
