import { Type } from '@sinclair/typebox';
import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import { defineJob } from '../../jobs/definition.js';

/**
 * Flows stay a week past their expiry, so an old link still reads "expired" rather than "unknown"
 * for a while; then nothing needs them. A session ended (expired or signed out) a day ago answers
 * nothing any more. Measured against the database's clock: a deletion is never worth a test's
 * moved clock.
 */
const flowsEndedBefore = sql<Date>`now() - interval '7 days'`;
const sessionsEndedBefore = sql<Date>`now() - interval '1 day'`;

/** Deletes flows (links and codes), passkey challenges and sessions that ended: rows that only expire would otherwise stay forever. */
export function sweepExpiredJob(db: Db) {
  return defineJob({
    name: 'identity.sweep-expired',
    payload: Type.Object({}),
    schedule: { everySeconds: 3600 },
    async handle() {
      await db.deleteFrom('flows').where('expires_at', '<', flowsEndedBefore).execute();
      await db.deleteFrom('passkey_challenges').where('expires_at', '<', sessionsEndedBefore).execute();
      await db
        .deleteFrom('sessions')
        .where((w) =>
          w.or([w('expires_at', '<', sessionsEndedBefore), w('revoked_at', '<', sessionsEndedBefore)]),
        )
        .execute();
    },
  });
}
