import { sql } from 'kysely';
import { type Db, type Executor, executor } from '../../db/database.js';
import { prefixesOf, STAFF_ONLY_ACTIONS } from './resources.js';

/** A comparison of the event's time, as the /v1 filters (`created_at__gte`) and the console's range give it. */
export interface TimeBound {
  operator: '=' | '>' | '>=' | '<' | '<=';
  at: Date;
}

/** Which of an account's events to read: the accounts in scope, then the filters (each optional). */
export interface AuditEventFilter {
  /**
   * The main account whose family is read; or one account: a subaccount's events are those recorded
   * for it and those made with its credentials, a main account's own are its events less those.
   */
  scope: { mainAccountId: string } | { accountId: string; authId: string; main: boolean };
  /** "operator staff", "Switchboard", an Auth ID, or part of a member's email. */
  actor?: string;
  action?: string;
  resource?: string;
  ip?: string;
  times: TimeBound[];
}

/** Where a page of the export ended: the last event's time and id (newest first). */
export interface EventCursor {
  at: Date;
  id: bigint;
}

export const OPERATOR_STAFF = 'operator staff';
export const SWITCHBOARD = 'Switchboard';

const likeLiteral = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** SQL for the audit log customers read, its webhook settings and its retention purge. */
export class AuditEventStore {
  constructor(private readonly db: Db) {}

  private get q(): Executor {
    return executor(this.db);
  }

  private filtered(filter: AuditEventFilter) {
    let query = this.q
      .selectFrom('audit_events as e')
      .innerJoin('accounts as a', 'a.id', 'e.account_id')
      .leftJoin('users as u', 'u.id', 'e.user_id')
      .where('e.action', 'not in', [...STAFF_ONLY_ACTIONS]);
    const { scope } = filter;
    if (!('accountId' in scope))
      query = query.where((eb) =>
        eb.or([eb('a.id', '=', scope.mainAccountId), eb('a.parent_account_id', '=', scope.mainAccountId)]),
      );
    else if (scope.main)
      query = query
        .where('e.account_id', '=', scope.accountId)
        .where((eb) => eb.or([eb('e.api_auth_id', 'is', null), eb('e.api_auth_id', '=', scope.authId)]));
    else
      query = query.where((eb) =>
        eb.or([eb('e.account_id', '=', scope.accountId), eb('e.api_auth_id', '=', scope.authId)]),
      );
    if (filter.action) query = query.where('e.action', '=', filter.action);
    if (filter.resource) {
      const prefixes = prefixesOf(filter.resource);
      query = query.where((eb) => eb.or(prefixes.map((p) => eb('e.action', 'like', `${likeLiteral(p)}.%`))));
    }
    if (filter.ip) query = query.where('e.ip', '=', filter.ip);
    for (const bound of filter.times) query = query.where('e.created_at', bound.operator, bound.at);
    if (filter.actor) {
      const actor = filter.actor.trim();
      if (actor.toLowerCase() === OPERATOR_STAFF) query = query.where('e.staff_id', 'is not', null);
      else if (actor.toLowerCase() === SWITCHBOARD.toLowerCase())
        query = query
          .where('e.staff_id', 'is', null)
          .where('e.user_id', 'is', null)
          .where('e.api_auth_id', 'is', null);
      else
        query = query
          .where('e.staff_id', 'is', null)
          .where((eb) =>
            eb.or([
              eb('e.api_auth_id', '=', actor.toUpperCase()),
              eb(eb.fn('lower', ['u.email']), 'like', `%${likeLiteral(actor.toLowerCase())}%`),
            ]),
          );
    }
    return query;
  }

  async count(filter: AuditEventFilter): Promise<number> {
    const row = await this.filtered(filter)
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** A page of events, newest first: by offset (the console and /v1), or after a cursor (the export). */
  page(filter: AuditEventFilter, page: { limit: number; offset?: number; after?: EventCursor | null }) {
    let query = this.filtered(filter).select([
      'e.id',
      'e.created_at as at',
      'e.action',
      'e.details',
      'e.ip',
      'e.user_agent as userAgent',
      'e.staff_id as staffId',
      'e.api_auth_id as apiAuthId',
      'u.email as userEmail',
      (eb) => eb.fn.coalesce('e.api_auth_id', 'a.auth_id').as('authId'),
    ]);
    if (page.after) {
      const { at, id } = page.after;
      query = query.where((eb) => eb(eb.refTuple('e.created_at', 'e.id'), '<', eb.tuple(at, id)));
    }
    return query
      .orderBy('e.created_at', 'desc')
      .orderBy('e.id', 'desc')
      .limit(page.limit)
      .offset(page.offset ?? 0)
      .execute();
  }

  /** One event of a family, for its webhook delivery. */
  async one(mainAccountId: string, eventId: bigint) {
    const [event] = await this.filtered({ scope: { mainAccountId }, times: [] })
      .select([
        'e.id',
        'e.created_at as at',
        'e.action',
        'e.details',
        'e.ip',
        'e.user_agent as userAgent',
        'e.staff_id as staffId',
        'e.api_auth_id as apiAuthId',
        'u.email as userEmail',
        (eb) => eb.fn.coalesce('e.api_auth_id', 'a.auth_id').as('authId'),
      ])
      .where('e.id', '=', eventId)
      .execute();
    return event;
  }

  /** The account if it is a main account: its Auth ID. */
  async mainAccount(accountId: string) {
    return this.q
      .selectFrom('accounts')
      .select(['id', 'auth_id'])
      .where('id', '=', accountId)
      .where('parent_account_id', 'is', null)
      .executeTakeFirst();
  }

  /** A subaccount (deleted ones too: their events stay) of the main account, by Auth ID. */
  async subaccount(mainAccountId: string, authId: string) {
    return this.q
      .selectFrom('accounts')
      .select(['id', 'auth_id'])
      .where('auth_id', '=', authId)
      .where('parent_account_id', '=', mainAccountId)
      .executeTakeFirst();
  }

  webhook(accountId: string) {
    return this.q
      .selectFrom('audit_webhooks')
      .select(['url', 'secret_encrypted', 'updated_at'])
      .where('account_id', '=', accountId)
      .executeTakeFirst();
  }

  async saveWebhook(accountId: string, url: string, secretEncrypted: string | null, at: Date) {
    if (secretEncrypted === null) {
      await this.q
        .updateTable('audit_webhooks')
        .set({ url, updated_at: at })
        .where('account_id', '=', accountId)
        .execute();
      return;
    }
    await this.q
      .insertInto('audit_webhooks')
      .values({ account_id: accountId, url, secret_encrypted: secretEncrypted, updated_at: at })
      .onConflict((oc) =>
        oc.column('account_id').doUpdateSet({ url, secret_encrypted: secretEncrypted, updated_at: at }),
      )
      .execute();
  }

  async removeWebhook(accountId: string): Promise<boolean> {
    const result = await this.q
      .deleteFrom('audit_webhooks')
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  /**
   * Deletes up to `limit` events older than `before`, in the caller's transaction, which it marks as
   * a retention purge (the only kind the database lets delete audit events). A closed account's
   * events stay: they are kept whole until its own purge after FINANCIAL_RETENTION_YEARS.
   */
  async purgeOlderThan(before: Date, limit: number): Promise<number> {
    await permitAuditPurge(this.q);
    const result = await this.q
      .deleteFrom('audit_events')
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('audit_events as old')
          .leftJoin('accounts as a', 'a.id', 'old.account_id')
          .select('old.id')
          .where('old.created_at', '<', before)
          .where(({ not, exists, selectFrom }) =>
            not(
              exists(
                selectFrom('accounts as main')
                  .select('main.id')
                  .where((m) => m('main.id', '=', m.fn.coalesce('a.parent_account_id', 'a.id')))
                  .where('main.status', '=', 'closed')
                  .where('main.purged_at', 'is', null),
              ),
            ),
          )
          .limit(limit),
      )
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

/**
 * Marks the caller's transaction as a retention purge: the database refuses to delete audit events
 * in any other (migration 0030), and to update them in every one.
 */
export async function permitAuditPurge(q: Executor): Promise<void> {
  await sql`SELECT set_config('switchboard.audit_purge', 'on', true)`.execute(q);
}
