import { Type } from '@sinclair/typebox';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Db } from '../db/database.js';
import { defineJob } from '../jobs/definition.js';
import type { SecretBox } from '../lib/secrets.js';
import type { Deliver } from './drivers.js';

/** Eight attempts, waiting 10 s, 20 s … 640 s between them: 21 minutes, as the outbox worker retried before. */
const DELIVERY_RETRY = { limit: 8, backoffSeconds: 10 };

export const DELIVER_MESSAGE = 'outbox.deliver';

/**
 * Delivers one outbox message (one job per message, enqueued with it). The driver is called with no
 * transaction open; a message already sent is not sent again, so a second run of the job (its
 * runner died after sending) only risks what a crash between sending and recording always risks.
 */
export function deliverMessageJob(deps: {
  db: Db;
  secrets: SecretBox;
  drivers: Record<'email' | 'sms' | 'voice', Deliver>;
  log: Logger;
  retentionDays: number;
}) {
  return defineJob({
    name: DELIVER_MESSAGE,
    payload: Type.Object({ messageId: Type.String({ pattern: '^[0-9]+$' }) }),
    retry: DELIVERY_RETRY,
    async handle({ messageId }, job) {
      const row = await deps.db
        .updateTable('outbox_messages')
        .set({ attempts: job.attempt })
        .where('id', '=', BigInt(messageId))
        .where('status', '=', 'pending')
        .returningAll()
        .executeTakeFirst();
      if (!row) return;
      try {
        await deps.drivers[row.channel]({
          channel: row.channel,
          to: row.recipient,
          subject: row.subject,
          text: deps.secrets.decrypt(row.body_encrypted),
        });
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        deps.log.warn(
          { messageId, channel: row.channel, attempts: job.attempt, reason },
          'message delivery failed',
        );
        await deps.db
          .updateTable('outbox_messages')
          .set({
            last_error: reason.slice(0, 500),
            status: job.attempt >= DELIVERY_RETRY.limit ? 'failed' : 'pending',
          })
          .where('id', '=', row.id)
          .execute();
        throw error;
      }
      await deps.db
        .updateTable('outbox_messages')
        .set({
          status: 'sent',
          sent_at: sql<Date>`now()`,
          purge_after: sql<Date>`now() + make_interval(days => ${deps.retentionDays})`,
        })
        .where('id', '=', row.id)
        .execute();
    },
  });
}

/** Delivered messages hold links and codes: they go once their retention (OUTBOX_RETENTION_DAYS) ends. */
export function purgeOutboxJob(db: Db) {
  return defineJob({
    name: 'outbox.purge',
    payload: Type.Object({}),
    schedule: { everySeconds: 600 },
    async handle() {
      await db.deleteFrom('outbox_messages').where('purge_after', '<', sql<Date>`now()`).execute();
    },
  });
}
