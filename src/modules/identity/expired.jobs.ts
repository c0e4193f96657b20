import { Type } from '@sinclair/typebox';
import type { Db } from '../../db/database.js';
import { defineJob } from '../../jobs/definition.js';
import type { Clock } from '../../lib/clock.js';

/**
 * Flows stay a week past their expiry, so an old link still reads "expired" rather than "unknown"
 * for a while; then nothing needs them.
 */
const FLOW_GRACE_MS = 7 * 86_400_000;
/** A session ended (expired or signed out) a day ago answers nothing any more. */
const SESSION_GRACE_MS = 86_400_000;

/** Deletes flows (links and codes) and sessions that ended: rows that only expire would otherwise stay forever. */
export function sweepExpiredJob(db: Db, clock: Clock) {
  return defineJob({
    name: 'identity.sweep-expired',
    payload: Type.Object({}),
    schedule: { everySeconds: 3600 },
    async handle() {
      const now = clock.now().getTime();
      await db
        .deleteFrom('flows')
        .where('expires_at', '<', new Date(now - FLOW_GRACE_MS))
        .execute();
      const sessionsBefore = new Date(now - SESSION_GRACE_MS);
      await db
        .deleteFrom('sessions')
        .where((w) => w.or([w('expires_at', '<', sessionsBefore), w('revoked_at', '<', sessionsBefore)]))
        .execute();
    },
  });
}
