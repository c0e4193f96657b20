import { type Db, executor } from '../../db/database.js';
import { customerSees } from './resources.js';

/** Who did something and from where: recorded with every audit event. */
export interface Actor {
  ip: string;
  userAgent: string | null;
  userId?: string | null;
  staffId?: string | null;
  /** The Auth ID whose API credentials made the change (the /v1 door). */
  apiAuthId?: string | null;
  /** The restricted API key the change was made with (its key id), recorded in the event's details. */
  apiKeyId?: string | null;
}

/** The job that POSTs one audit event to its main account's webhook. */
export const AUDIT_WEBHOOK_JOB = 'audit.webhook';

/** How an audit event reaches the jobs runner: one delivery per event, keyed by it. */
export interface AuditDeliveries {
  enqueue(name: string, payload: unknown, options?: { key?: string }): Promise<string | undefined>;
}

export interface AuditEvent {
  action: string;
  accountId?: string | null;
  /** The user the event is about (defaults to the acting user). */
  userId?: string | null;
  details?: Record<string, unknown>;
}

/**
 * Audit events are written in the same transaction as the change they record. An event the
 * customer sees, of an account whose main account has an audit webhook, is queued for delivery in
 * that transaction too: it is delivered once committed, and never for a change rolled back.
 */
export class AuditLog {
  constructor(
    private readonly db: Db,
    private readonly deliveries?: AuditDeliveries,
  ) {}

  async record(actor: Actor, event: AuditEvent): Promise<void> {
    const q = executor(this.db);
    const { id } = await q
      .insertInto('audit_events')
      .values({
        action: event.action,
        account_id: event.accountId ?? null,
        user_id: event.userId ?? actor.userId ?? null,
        staff_id: actor.staffId ?? null,
        api_auth_id: actor.apiAuthId ?? null,
        ip: actor.ip,
        user_agent: actor.userAgent,
        details: JSON.stringify(
          actor.apiKeyId ? { ...event.details, apiKeyId: actor.apiKeyId } : (event.details ?? {}),
        ),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (!this.deliveries || !event.accountId || !customerSees(event.action)) return;
    const webhook = await q
      .selectFrom('accounts as a')
      .innerJoin('audit_webhooks as w', (join) =>
        join.on((eb) => eb('w.account_id', '=', eb.fn.coalesce('a.parent_account_id', 'a.id'))),
      )
      .select('w.account_id')
      .where('a.id', '=', event.accountId)
      .executeTakeFirst();
    if (webhook)
      await this.deliveries.enqueue(
        AUDIT_WEBHOOK_JOB,
        { accountId: webhook.account_id, eventId: id.toString() },
        { key: `audit-event:${id}` },
      );
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
