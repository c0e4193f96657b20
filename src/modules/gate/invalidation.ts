import { sql } from 'kysely';
import { type Db, executor } from '../../db/database.js';

/** The channel that tells every instance an account's credentials, allowlist, limits or state changed. */
export const ACCOUNT_CHANGED_CHANNEL = 'sb_account_changed';

/**
 * Announces a change to everything the gate caches about an account. Sent inside the caller's
 * transaction, so other instances hear it only once the change is committed.
 */
export async function announceAccountChange(db: Db, accountId: string): Promise<void> {
  await sql`SELECT pg_notify(${ACCOUNT_CHANGED_CHANNEL}, auth_id) FROM accounts WHERE id = ${accountId}`.execute(
    executor(db),
  );
}
