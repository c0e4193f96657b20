import { sql } from 'kysely';
import { type Db, executor, inTransaction } from '../db/database.js';
import type { Channel } from '../db/schema.js';
import type { Jobs } from '../jobs/runner.js';
import type { SecretBox } from '../lib/secrets.js';
import { DELIVER_MESSAGE } from './outbox.jobs.js';

export interface OutgoingMessage {
  channel: Channel;
  to: string;
  subject: string;
  text: string;
}

export interface DeliveredMessage extends OutgoingMessage {
  id: string;
  status: 'pending' | 'sent' | 'failed';
  createdAt: Date;
  sentAt: Date | null;
}

/**
 * Messages to people are rows written in the same transaction as the change that caused them,
 * each with its delivery job (outbox.jobs.ts). Bodies hold links and codes, so they are encrypted at rest.
 */
export class Outbox {
  constructor(
    private readonly db: Db,
    private readonly secrets: SecretBox,
    private readonly jobs: Jobs,
  ) {}

  async enqueue(message: OutgoingMessage): Promise<void> {
    await inTransaction(this.db, async (trx) => {
      const { id } = await trx
        .insertInto('outbox_messages')
        .values({
          channel: message.channel,
          recipient: message.to,
          subject: message.subject,
          body_encrypted: this.secrets.encrypt(message.text),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await this.jobs.enqueue(DELIVER_MESSAGE, { messageId: String(id) }, { key: `message:${id}` });
    });
  }

  /** Several messages in two statements (the rows, then their delivery jobs), in the caller's transaction. */
  async enqueueMany(messages: readonly OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    await inTransaction(this.db, async (trx) => {
      const rows = await trx
        .insertInto('outbox_messages')
        .values(
          messages.map((message) => ({
            channel: message.channel,
            recipient: message.to,
            subject: message.subject,
            body_encrypted: this.secrets.encrypt(message.text),
          })),
        )
        .returning('id')
        .execute();
      await this.jobs.enqueueMany(
        rows.map(({ id }) => ({
          name: DELIVER_MESSAGE,
          payload: { messageId: String(id) },
          options: { key: `message:${id}` },
        })),
      );
    });
  }

  /** What waits in the outbox: undelivered messages, the oldest one's age, and those given up on. */
  async backlog(): Promise<{ pending: number; oldestPendingSeconds: number; failed: number }> {
    const row = await this.db
      .selectFrom('outbox_messages')
      .select([
        sql<string>`count(*) filter (where status = 'pending')`.as('pending'),
        sql<string>`count(*) filter (where status = 'failed')`.as('failed'),
        sql<string | null>`extract(epoch from now() - min(created_at) filter (where status = 'pending'))`.as(
          'oldest',
        ),
      ])
      .executeTakeFirstOrThrow();
    return {
      pending: Number(row.pending),
      failed: Number(row.failed),
      oldestPendingSeconds: row.oldest === null ? 0 : Number(row.oldest),
    };
  }

  /** Newest first, bodies decrypted: for the development outbox only. */
  async recent(limit: number): Promise<DeliveredMessage[]> {
    const rows = await executor(this.db)
      .selectFrom('outbox_messages')
      .selectAll()
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((row) => ({
      id: String(row.id),
      channel: row.channel,
      to: row.recipient,
      subject: row.subject,
      text: this.secrets.decrypt(row.body_encrypted),
      status: row.status,
      createdAt: row.created_at,
      sentAt: row.sent_at,
    }));
  }
}
