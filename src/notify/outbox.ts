import { type Db, executor } from '../db/database.js';
import type { Channel } from '../db/schema.js';
import type { SecretBox } from '../lib/secrets.js';

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
 * Messages to people are rows written in the same transaction as the change that caused them;
 * the worker delivers them. Bodies hold links and codes, so they are encrypted at rest.
 */
export class Outbox {
  constructor(
    private readonly db: Db,
    private readonly secrets: SecretBox,
    private readonly onEnqueued: () => void = () => {},
  ) {}

  async enqueue(message: OutgoingMessage): Promise<void> {
    await executor(this.db)
      .insertInto('outbox_messages')
      .values({
        channel: message.channel,
        recipient: message.to,
        subject: message.subject,
        body_encrypted: this.secrets.encrypt(message.text),
      })
      .execute();
    this.onEnqueued();
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
