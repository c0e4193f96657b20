import { type RawBuilder, sql } from 'kysely';
import { type Db, executor } from '../../db/database.js';
import type { Role, UsageProduct } from '../../db/schema.js';
import { csvFieldSql } from '../../lib/csv.js';

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

/** A page of the export: its records as CSV lines, how many, and where the next page starts. */
export interface RecordPage {
  csv: string;
  records: number;
  /** The page's last record, or null when the page is empty. */
  last: RecordCursor | null;
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

  /** Every main account's spend per local day, from one day to another (both included; days without usage are absent). */
  async spendByDay(
    from: string,
    to: string,
  ): Promise<{ accountId: string; day: string; amountMicros: bigint }[]> {
    const { rows } = await sql<{ accountId: string; day: string; amountMicros: bigint }>`
      SELECT account_id AS "accountId", day, sum(amount_micros)::bigint AS "amountMicros"
      FROM usage_daily WHERE day BETWEEN ${from}::date AND ${to}::date
      GROUP BY account_id, day`.execute(executor(this.db));
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
   * cursor: a keyset page, so each page costs the same however far the export has gone. The database
   * writes the page's CSV lines (USAGE_CSV_HEADER's columns) as one text: the export allocates a
   * string per page instead of an object per record.
   */
  async recordPage(
    selection: UsageSelection,
    timezone: string,
    after: RecordCursor | null,
    limit: number,
  ): Promise<RecordPage> {
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
    const field = (column: string) => csvFieldSql(sql.ref(`p.${column}`));
    const units = (column: string) => sql`round(${sql.ref(`p.${column}`)} / 1000000.0, 5)`;
    // One concat_ws per line: a chain of || would allocate a text per field.
    const line = sql<string>`concat_ws(',',
      to_char(p.started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), to_char(p.day, 'YYYY-MM-DD'),
      coalesce(s.auth_id, ''), p.product, p.direction, ${field('from_number')}, ${field('to_number')},
      ${field('country_iso')}, ${field('number_type')}, p.quantity, p.billed_quantity,
      ${units('rate_micros')}, ${units('amount_micros')}, ${field('event_id')} || E'\\r\\n')`;
    const order = sql`p.started_at DESC, p.engine_id DESC, p.event_id DESC`;
    const { rows } = await sql<{
      csv: string | null;
      records: number;
      last_started_us: bigint | null;
      last_engine_id: string | null;
      last_event_id: string | null;
    }>`
      WITH p AS (
        SELECT engine_id, event_id, subaccount_id, product, direction, from_number, to_number, number_type,
          country_iso, quantity, billed_quantity, rate_micros, amount_micros, started_at, day
        FROM usage_records WHERE ${sql.join(conditions, sql` AND `)}
        ORDER BY started_at, engine_id, event_id
        LIMIT ${limit})
      SELECT string_agg(${line}, '' ORDER BY p.started_at, p.engine_id, p.event_id) AS csv,
        count(*)::int AS records,
        (extract(epoch FROM max(p.started_at)) * 1000000)::int8 AS last_started_us,
        (array_agg(p.engine_id ORDER BY ${order}))[1] AS last_engine_id,
        (array_agg(p.event_id ORDER BY ${order}))[1] AS last_event_id
      FROM p LEFT JOIN accounts s ON s.id = p.subaccount_id`.execute(executor(this.db));
    const page = rows[0];
    if (!page?.csv || page.last_started_us === null || !page.last_engine_id || page.last_event_id === null)
      return { csv: '', records: 0, last: null };
    return {
      csv: page.csv,
      records: page.records,
      last: { startedUs: page.last_started_us, engineId: page.last_engine_id, eventId: page.last_event_id },
    };
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
