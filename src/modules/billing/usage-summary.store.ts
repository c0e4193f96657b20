import { type RawBuilder, sql } from 'kysely';
import { type Db, executor } from '../../db/database.js';
import type { Role, UsageDirection, UsageProduct } from '../../db/schema.js';

export type SummaryProduct = UsageProduct | 'numbers';

/** Whose usage: everyone's of the account, the main account's own, or one subaccount's. */
export type UsageOwner = { kind: 'all' } | { kind: 'main' } | { kind: 'subaccount'; id: string };

/** A filter the service has checked: a main account, its local days (both included), a product, an owner. */
export interface UsageSelection {
  accountId: string;
  from: string;
  to: string;
  product: SummaryProduct | null;
  owner: UsageOwner;
}

export interface DayTotal {
  day: string;
  events: bigint;
  amountMicros: bigint;
}

export interface LineTotal {
  product: SummaryProduct;
  subaccountId: string | null;
  events: bigint;
  quantity: bigint;
  amountMicros: bigint;
}

/** One usage record as the export writes it. */
export interface UsageRecordRow {
  engine_id: string;
  event_id: string;
  subaccount_id: string | null;
  product: UsageProduct;
  direction: UsageDirection;
  from_number: string;
  to_number: string;
  number_type: string;
  country_iso: string;
  quantity: bigint;
  billed_quantity: bigint;
  rate_micros: bigint;
  amount_micros: bigint;
  /** started_at in microseconds since the epoch: exact (a Date keeps milliseconds), and cheap to read. */
  started_us: bigint;
  day: string;
}

/** Where a page of the export ends: the next page starts after it. */
export interface RecordCursor {
  startedUs: bigint;
  engineId: string;
  eventId: string;
}

/** A member who asked for the daily usage summary email. */
export interface SummaryRecipient {
  email: string;
  name: string;
}

/** An account whose daily usage summary is due: its local yesterday has no summary sent yet. */
export interface DueAccount {
  id: string;
  name: string;
  timezone: string;
  currency: string;
  day: string;
}

/**
 * Time zones differ from UTC by at most 14 hours, so a record of a local day started within 27 hours
 * of that day's bounds in any zone the account had: the export's time window, which the records'
 * index can use, before the exact test on their local day.
 */
const ZONE_SLACK = sql`interval '27 hours'`;

/** SQL for usage_daily and usage_records: the Usage Summary reads; the charging transaction writes them. */
export class UsageSummaryStore {
  constructor(private readonly db: Db) {}

  #ownerCondition(owner: UsageOwner, column: RawBuilder<unknown>): RawBuilder<unknown> {
    if (owner.kind === 'main') return sql`${column} IS NULL`;
    if (owner.kind === 'subaccount') return sql`${column} = ${owner.id}`;
    return sql`true`;
  }

  #dailyWhere(selection: UsageSelection): RawBuilder<unknown> {
    const conditions = [
      sql`account_id = ${selection.accountId}`,
      sql`day BETWEEN ${selection.from}::date AND ${selection.to}::date`,
      this.#ownerCondition(selection.owner, sql.ref('subaccount_id')),
    ];
    if (selection.product) conditions.push(sql`product = ${selection.product}`);
    return sql.join(conditions, sql` AND `);
  }

  /** Totals per day of the selection (days without usage are absent). */
  async byDay(selection: UsageSelection): Promise<DayTotal[]> {
    const { rows } = await sql<DayTotal>`
      SELECT day, sum(events)::bigint AS events, sum(amount_micros)::bigint AS "amountMicros"
      FROM usage_daily WHERE ${this.#dailyWhere(selection)}
      GROUP BY day ORDER BY day`.execute(executor(this.db));
    return rows;
  }

  /** Totals per product and subaccount (null: the main account's own), the main account's first. */
  async byLine(selection: UsageSelection): Promise<LineTotal[]> {
    const { rows } = await sql<LineTotal>`
      SELECT product, subaccount_id AS "subaccountId", sum(events)::bigint AS events,
        sum(quantity)::bigint AS quantity, sum(amount_micros)::bigint AS "amountMicros"
      FROM usage_daily WHERE ${this.#dailyWhere(selection)}
      GROUP BY product, subaccount_id
      ORDER BY subaccount_id NULLS FIRST, product`.execute(executor(this.db));
    return rows;
  }

  /**
   * One page of the selection's usage records in (started_at, engine, event id) order, after the
   * cursor: a keyset page, so each page costs the same however far the export has gone.
   */
  async recordPage(
    selection: UsageSelection,
    timezone: string,
    after: RecordCursor | null,
    limit: number,
  ): Promise<UsageRecordRow[]> {
    const conditions = [
      sql`account_id = ${selection.accountId}`,
      sql`started_at >= (${selection.from}::date::timestamp AT TIME ZONE ${timezone}) - ${ZONE_SLACK}`,
      sql`started_at < ((${selection.to}::date + 1)::timestamp AT TIME ZONE ${timezone}) + ${ZONE_SLACK}`,
      sql`day BETWEEN ${selection.from}::date AND ${selection.to}::date`,
      this.#ownerCondition(selection.owner, sql.ref('subaccount_id')),
    ];
    if (selection.product) conditions.push(sql`product = ${selection.product}`);
    if (after) {
      const startedAt = sql`(timestamptz 'epoch' + ${after.startedUs.toString()}::int8 * interval '1 microsecond')`;
      conditions.push(
        sql`started_at >= ${startedAt}`,
        sql`(started_at, engine_id, event_id) > (${startedAt}, ${after.engineId}::uuid, ${after.eventId})`,
      );
    }
    const { rows } = await sql<UsageRecordRow>`
      SELECT engine_id, event_id, subaccount_id, product, direction, from_number, to_number, number_type,
        country_iso, quantity, billed_quantity, rate_micros, amount_micros,
        (extract(epoch FROM started_at) * 1000000)::int8 AS started_us, day
      FROM usage_records WHERE ${sql.join(conditions, sql` AND `)}
      ORDER BY started_at, engine_id, event_id
      LIMIT ${limit}`.execute(executor(this.db));
    return rows;
  }

  /** The main account's time zone, currency, and subaccounts (deleted ones too: their usage stays). */
  async accountOf(accountId: string) {
    const account = await executor(this.db)
      .selectFrom('accounts')
      .select(['id', 'auth_id', 'timezone', 'currency'])
      .where('id', '=', accountId)
      .where('parent_account_id', 'is', null)
      .executeTakeFirst();
    if (!account) return undefined;
    const subaccounts = await executor(this.db)
      .selectFrom('accounts')
      .select(['id', 'auth_id as authId', 'name', 'deleted_at as deletedAt'])
      .where('parent_account_id', '=', accountId)
      .orderBy('name')
      .orderBy('auth_id')
      .execute();
    return { ...account, subaccounts };
  }

  async emailSetting(accountId: string, userId: string): Promise<boolean | undefined> {
    const row = await executor(this.db)
      .selectFrom('memberships')
      .select('usage_summary_email')
      .where('account_id', '=', accountId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row?.usage_summary_email;
  }

  async setEmailSetting(accountId: string, userId: string, enabled: boolean): Promise<boolean> {
    const result = await executor(this.db)
      .updateTable('memberships')
      .set({ usage_summary_email: enabled })
      .where('account_id', '=', accountId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /**
   * Active main accounts with a member who asked for the summary, whose local time at `now` is past
   * `sendHour` and whose local yesterday has no summary sent yet.
   */
  async dueAccounts(now: Date, sendHour: number, roles: readonly Role[]): Promise<DueAccount[]> {
    const { rows } = await sql<DueAccount>`
      SELECT a.id, a.name, a.timezone, a.currency, to_char(a.local_day - 1, 'YYYY-MM-DD') AS day
      FROM (
        SELECT id, name, timezone, currency,
          (${now}::timestamptz AT TIME ZONE timezone)::date AS local_day,
          extract(hour FROM ${now}::timestamptz AT TIME ZONE timezone) AS local_hour
        FROM accounts
        WHERE parent_account_id IS NULL AND status = 'active' AND deleted_at IS NULL
          AND EXISTS (SELECT 1 FROM memberships m WHERE m.account_id = accounts.id
            AND m.usage_summary_email AND m.role IN (${sql.join([...roles])}))
      ) a
      WHERE a.local_hour >= ${sendHour}
        AND NOT EXISTS (SELECT 1 FROM usage_summary_emails e WHERE e.account_id = a.id AND e.day = a.local_day - 1)
      ORDER BY a.id`.execute(executor(this.db));
    return rows;
  }

  /** Claims the summary of (account, day): true once, for the one caller whose claim was new. */
  async claimSummary(accountId: string, day: string, recipients: number): Promise<boolean> {
    const claimed = await executor(this.db)
      .insertInto('usage_summary_emails')
      .values({ account_id: accountId, day, recipients })
      .onConflict((conflict) => conflict.columns(['account_id', 'day']).doNothing())
      .returning('account_id')
      .executeTakeFirst();
    return claimed !== undefined;
  }

  async recipients(accountId: string, roles: readonly Role[]): Promise<SummaryRecipient[]> {
    return executor(this.db)
      .selectFrom('memberships as m')
      .innerJoin('users as u', 'u.id', 'm.user_id')
      .select(['u.email', 'u.name'])
      .where('m.account_id', '=', accountId)
      .where('m.usage_summary_email', '=', true)
      .where('m.role', 'in', [...roles])
      .orderBy('u.email')
      .execute();
  }
}
