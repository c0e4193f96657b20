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

  /**
   * An account's audit events, newest first, with who acted: a staff member, a member (by email),
   * or nobody (Switchboard itself); only the given actions when named.
   */
  async ofAccount(accountId: string, options: { actions?: readonly string[]; limit: number }) {
    let query = executor(this.db)
      .selectFrom('audit_events as e')
      .leftJoin('users as u', 'u.id', 'e.user_id')
      .leftJoin('staff_members as s', 's.id', 'e.staff_id')
      .select([
        'e.id',
        'e.created_at as at',
        'e.action',
        'e.details',
        'e.ip',
        'u.email as userEmail',
        's.name as staffName',
        's.email as staffEmail',
      ])
      .where('e.account_id', '=', accountId);
    if (options.actions) query = query.where('e.action', 'in', [...options.actions]);
    return query.orderBy('e.created_at', 'desc').orderBy('e.id', 'desc').limit(options.limit).execute();
  }

  /** Each user's latest sign-in into the account. */
  async lastSignIns(accountId: string, userIds: readonly string[]): Promise<Map<string, Date>> {
    if (userIds.length === 0) return new Map();
    const rows = await executor(this.db)
      .selectFrom('audit_events')
      .select(['user_id', (eb) => eb.fn.max('created_at').as('at')])
      .where('account_id', '=', accountId)
      .where('action', '=', 'user.signed_in')
      .where('user_id', 'in', [...userIds])
      .groupBy('user_id')
      .execute();
    return new Map(rows.map((row) => [row.user_id as string, row.at]));
  }
}
