import { type Db, executor } from '../../db/database.js';

/** Who did something and from where: recorded with every audit event. */
export interface Actor {
  ip: string;
  userAgent: string | null;
  userId?: string | null;
  staffId?: string | null;
}

export interface AuditEvent {
  action: string;
  accountId?: string | null;
  /** The user the event is about (defaults to the acting user). */
  userId?: string | null;
  details?: Record<string, unknown>;
}

/** Audit events are written in the same transaction as the change they record. */
export class AuditLog {
  constructor(private readonly db: Db) {}

  async record(actor: Actor, event: AuditEvent): Promise<void> {
    await executor(this.db)
      .insertInto('audit_events')
      .values({
        action: event.action,
        account_id: event.accountId ?? null,
        user_id: event.userId ?? actor.userId ?? null,
        staff_id: actor.staffId ?? null,
        ip: actor.ip,
        user_agent: actor.userAgent,
        details: JSON.stringify(event.details ?? {}),
      })
      .execute();
  }

  /** A user's recent sign-ins, newest first. */
  async signInsOf(userId: string, limit = 20) {
    return executor(this.db)
      .selectFrom('audit_events')
      .select(['created_at as at', 'ip', 'user_agent as userAgent', 'details'])
      .where('user_id', '=', userId)
      .where('action', '=', 'user.signed_in')
      .orderBy('created_at', 'desc')
      .limit(limit)
      .execute();
  }
}
