import { type Selectable, sql } from 'kysely';
import { type Db, executor, inTransaction, lockAccountRows, noteAccountsLocked } from '../../db/database.js';
import type { AccountStatus, CreditSessionsTable } from '../../db/schema.js';

export type CreditSession = Selectable<CreditSessionsTable>;

/** A main account as credit decisions read it, its row locked. */
export interface LockedAccount {
  id: string;
  authId: string;
  status: AccountStatus;
  timezone: string;
  currency: string;
  balanceMicros: bigint;
  heldMicros: bigint;
}

export interface LimitsRow {
  account_id: string;
  max_sessions: number | null;
  max_destination_rate_micros: bigint | null;
  daily_spend_cap_micros: bigint | null;
  monthly_spend_cap_micros: bigint | null;
}

/** A session ended by a group of decisions: what it used, when, and what it was charged. */
export interface EndedSession {
  id: string;
  status: 'ended' | 'expired';
  endedAt: Date;
  quantity: bigint;
  chargedMicros: bigint;
}

/** What credit decisions know of some accounts (`CreditStore.creditFacts`). */
export interface CreditFacts {
  accounts: (LockedAccount & { owedMicros: bigint })[];
  /** Limits rows of the accounts and subaccounts that have one. */
  limits: Map<string, LimitsRow>;
  subaccounts: { id: string; authId: string; live: boolean }[];
  /** Open sessions by main account and subaccount (null: the main account's own), when counted. */
  open: { accountId: string; subaccountId: string | null; open: number }[];
}

/** A credit_limits row joined to an account (limits_of null: none). */
interface LimitsColumns {
  limits_of: string | null;
  max_sessions: number | null;
  max_destination_rate_micros: bigint | null;
  daily_spend_cap_micros: bigint | null;
  monthly_spend_cap_micros: bigint | null;
}

/** A main account's row as credit decisions read it. */
interface AccountRow {
  id: string;
  auth_id: string;
  status: AccountStatus;
  timezone: string;
  currency: string;
  balance_micros: bigint;
  held_micros: bigint;
}

const lockedAccountOf = (row: AccountRow): LockedAccount => ({
  id: row.id,
  authId: row.auth_id,
  status: row.status,
  timezone: row.timezone,
  currency: row.currency,
  balanceMicros: BigInt(row.balance_micros),
  heldMicros: BigInt(row.held_micros),
});

/** SQL for credit_sessions, credit_limits, spend_cap_alerts and the accounts' held amounts. */
export class CreditStore {
  constructor(private readonly db: Db) {}

  private get q() {
    return executor(this.db);
  }

  /** Locks the main account's row (as the ledger does) and reads what credit decisions need. */
  lockAccount(accountId: string): Promise<LockedAccount> {
    return this.account(accountId, true);
  }

  /** What credit decisions read of a main account; locked (FOR NO KEY UPDATE) when they will hold or spend. */
  async account(accountId: string, lock: boolean): Promise<LockedAccount> {
    const { rows } = await sql<AccountRow>`
      SELECT id, auth_id, status, timezone, currency, balance_micros, held_micros
      FROM accounts WHERE id = ${accountId} AND parent_account_id IS NULL ${lock ? sql`FOR NO KEY UPDATE` : sql``}`.execute(
      this.q,
    );
    const row = rows[0];
    if (!row) throw new Error(`No main account ${accountId}`);
    if (lock) noteAccountsLocked([accountId]);
    return lockedAccountOf(row);
  }

  /**
   * Locks these accounts' rows in id order (`lockAccountRows`, the lock the ledger takes). A
   * statement of its own: a statement that waited for a lock still reads other tables (owed
   * rentals, open sessions) as they were when it began, so what the locks guard is read by the next.
   */
  lockAccounts(accountIds: readonly string[]): Promise<void> {
    return inTransaction(this.db, () => lockAccountRows(accountIds));
  }

  /**
   * What credit decisions read, in one statement per kind of account: the main accounts with what
   * each owes and its limits row (with `lock`, their rows locked first, `lockAccounts`) and, with
   * `counts`, its open sessions by subaccount; the subaccounts with their state and limits rows.
   */
  async creditFacts(
    accountIds: readonly string[],
    subaccountIds: readonly string[],
    { lock, counts }: { lock: boolean; counts: boolean },
  ): Promise<CreditFacts> {
    const facts: CreditFacts = { accounts: [], limits: new Map(), subaccounts: [], open: [] };
    const limitsOf = (row: LimitsColumns) => {
      if (row.limits_of)
        facts.limits.set(row.limits_of, {
          account_id: row.limits_of,
          max_sessions: row.max_sessions,
          max_destination_rate_micros: row.max_destination_rate_micros,
          daily_spend_cap_micros: row.daily_spend_cap_micros,
          monthly_spend_cap_micros: row.monthly_spend_cap_micros,
        });
    };
    if (accountIds.length > 0) {
      if (lock) await this.lockAccounts(accountIds);
      const { rows } = await sql<AccountRow & LimitsColumns & { owed_micros: string; open: unknown }>`
        SELECT a.id, a.auth_id, a.status, a.timezone, a.currency, a.balance_micros, a.held_micros,
          (SELECT coalesce(sum(o.amount_micros), 0) FROM owed_rentals o WHERE o.account_id = a.id)::text AS owed_micros,
          l.account_id AS limits_of, l.max_sessions, l.max_destination_rate_micros, l.daily_spend_cap_micros,
          l.monthly_spend_cap_micros,
          ${
            counts
              ? sql`(SELECT json_agg(json_build_array(c.subaccount_id, c.open)) FROM (
                  SELECT subaccount_id, count(*)::int AS open FROM credit_sessions
                  WHERE account_id = a.id AND status = 'open' GROUP BY subaccount_id) c)`
              : sql`NULL`
          } AS open
        FROM accounts a LEFT JOIN credit_limits l ON l.account_id = a.id
        WHERE a.id = ANY(${[...accountIds]}::uuid[]) AND a.parent_account_id IS NULL
        ORDER BY a.id`.execute(this.q);
      for (const row of rows) {
        facts.accounts.push({ ...lockedAccountOf(row), owedMicros: BigInt(row.owed_micros) });
        limitsOf(row);
        const open = (typeof row.open === 'string' ? JSON.parse(row.open) : row.open) as
          | [string | null, number][]
          | null;
        for (const [subaccountId, count] of open ?? [])
          facts.open.push({ accountId: row.id, subaccountId, open: count });
      }
    }
    if (subaccountIds.length > 0) {
      const { rows } = await sql<
        LimitsColumns & { id: string; auth_id: string; enabled: boolean; deleted_at: Date | null }
      >`
        SELECT s.id, s.auth_id, s.enabled, s.deleted_at, l.account_id AS limits_of, l.max_sessions,
          l.max_destination_rate_micros, l.daily_spend_cap_micros, l.monthly_spend_cap_micros
        FROM accounts s LEFT JOIN credit_limits l ON l.account_id = s.id
        WHERE s.id = ANY(${[...subaccountIds]}::uuid[])`.execute(this.q);
      for (const row of rows) {
        facts.subaccounts.push({ id: row.id, authId: row.auth_id, live: row.enabled && !row.deleted_at });
        limitsOf(row);
      }
    }
    return facts;
  }

  async mainAccount(accountId: string) {
    return this.q
      .selectFrom('accounts')
      .select(['id', 'auth_id', 'currency', 'timezone'])
      .where('id', '=', accountId)
      .where('parent_account_id', 'is', null)
      .executeTakeFirst();
  }

  /** A live subaccount of the main account, by its Auth ID. */
  async subaccountOf(accountId: string, authId: string) {
    return this.q
      .selectFrom('accounts')
      .select(['id', 'auth_id', 'name'])
      .where('parent_account_id', '=', accountId)
      .where('auth_id', '=', authId)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
  }

  async addHeld(accountId: string, deltaMicros: bigint): Promise<void> {
    if (deltaMicros === 0n) return;
    await sql`UPDATE accounts SET held_micros = held_micros + ${deltaMicros.toString()}::bigint WHERE id = ${accountId}`.execute(
      this.q,
    );
  }

  /** addHeld for several accounts in one statement. */
  async addHeldTo(deltas: ReadonlyMap<string, bigint>): Promise<void> {
    const changed = [...deltas].filter(([, micros]) => micros !== 0n);
    if (changed.length === 0) return;
    await sql`
      UPDATE accounts SET held_micros = held_micros + d.micros
      FROM unnest(${changed.map(([id]) => id)}::uuid[], ${changed.map(([, micros]) => micros.toString())}::bigint[]) AS d(id, micros)
      WHERE accounts.id = d.id`.execute(this.q);
  }

  async session(engineId: string, sessionId: string, lock = false): Promise<CreditSession | undefined> {
    let query = this.q
      .selectFrom('credit_sessions')
      .selectAll()
      .where('engine_id', '=', engineId)
      .where('session_id', '=', sessionId);
    if (lock) query = query.forUpdate();
    return query.executeTakeFirst();
  }

  async sessionById(id: string, lock = false): Promise<CreditSession | undefined> {
    let query = this.q.selectFrom('credit_sessions').selectAll().where('id', '=', id);
    if (lock) query = query.forUpdate();
    return query.executeTakeFirst();
  }

  /** Sessions by their engine and the engine's id for them; with `lock`, their rows locked. */
  async sessionsByKeys(
    keys: readonly { engineId: string; sessionId: string }[],
    lock = false,
  ): Promise<CreditSession[]> {
    if (keys.length === 0) return [];
    const { rows } = await sql<CreditSession>`
      SELECT s.* FROM credit_sessions s
      JOIN unnest(${keys.map((key) => key.engineId)}::uuid[], ${keys.map((key) => key.sessionId)}::text[]) AS k(engine_id, session_id)
        ON s.engine_id = k.engine_id AND s.session_id = k.session_id
      ORDER BY s.id ${lock ? sql`FOR UPDATE OF s` : sql``}`.execute(this.q);
    return rows;
  }

  /**
   * Records a group's decisions in one statement: the sessions opened inserted, those ended marked
   * with what was used and charged (their holds released), and each account's held amount changed.
   */
  async recordDecisions(
    opened: readonly CreditSession[],
    ended: readonly EndedSession[],
    heldChanges: ReadonlyMap<string, bigint>,
  ): Promise<void> {
    const held = [...heldChanges].filter(([, micros]) => micros !== 0n);
    if (opened.length === 0 && ended.length === 0 && held.length === 0) return;
    const rows = JSON.stringify(opened, (_, value) => (typeof value === 'bigint' ? value.toString() : value));
    await sql`
      WITH opened AS (
        INSERT INTO credit_sessions SELECT * FROM json_populate_recordset(NULL::credit_sessions, ${rows}::json)
      ), ended AS (
        UPDATE credit_sessions SET status = e.status, ended_at = e.ended_at, quantity = e.quantity,
          charged_micros = e.charged_micros, flagged = e.status = 'expired', held_micros = 0
        FROM unnest(${ended.map((row) => row.id)}::uuid[], ${ended.map((row) => row.status)}::text[],
                    ${ended.map((row) => row.endedAt.toISOString())}::timestamptz[],
                    ${ended.map((row) => row.quantity.toString())}::bigint[],
                    ${ended.map((row) => row.chargedMicros.toString())}::bigint[])
          AS e(id, status, ended_at, quantity, charged_micros)
        WHERE credit_sessions.id = e.id
      )
      UPDATE accounts SET held_micros = accounts.held_micros + d.micros
      FROM unnest(${held.map(([id]) => id)}::uuid[], ${held.map(([, micros]) => micros.toString())}::bigint[]) AS d(id, micros)
      WHERE accounts.id = d.id`.execute(this.q);
  }

  async updateSession(
    id: string,
    changes: Partial<
      Pick<
        CreditSession,
        | 'covered'
        | 'held_micros'
        | 'max_quantity'
        | 'expires_at'
        | 'renewal_short'
        | 'status'
        | 'ended_at'
        | 'quantity'
        | 'charged_micros'
        | 'flagged'
      >
    >,
  ): Promise<void> {
    await this.q.updateTable('credit_sessions').set(changes).where('id', '=', id).execute();
  }

  /** Open sessions of the account, and of the subaccount when one is named. */
  async openCounts(
    accountId: string,
    subaccountId: string | null,
  ): Promise<{ account: number; subaccount: number }> {
    const row = await this.q
      .selectFrom('credit_sessions')
      .select([
        sql<string>`count(*)::text`.as('account'),
        sql<string>`count(*) FILTER (WHERE subaccount_id = ${subaccountId})::text`.as('subaccount'),
      ])
      .where('account_id', '=', accountId)
      .where('status', '=', 'open')
      .executeTakeFirst();
    return { account: Number(row?.account ?? 0), subaccount: Number(row?.subaccount ?? 0) };
  }

  /** What the subaccount holds: its open sessions and its messages waiting to be sent. */
  async heldBySubaccount(subaccountId: string): Promise<bigint> {
    const { rows } = await sql<{ held: string }>`
      SELECT ((SELECT coalesce(sum(held_micros), 0) FROM credit_sessions
                WHERE subaccount_id = ${subaccountId} AND status = 'open')
            + (SELECT coalesce(sum(held_micros), 0) FROM messages
                WHERE subaccount_id = ${subaccountId} AND state IN ('queued', 'sending')))::text AS held`.execute(
      this.q,
    );
    return BigInt(rows[0]?.held ?? 0);
  }

  /** What the subaccount spent (usage and rentals, as Usage Summary counts it) from a day on. */
  async spentSince(subaccountId: string, fromDay: string): Promise<bigint> {
    const row = await this.q
      .selectFrom('usage_daily')
      .select(sql<string>`coalesce(sum(amount_micros), 0)::text`.as('spent'))
      .where('subaccount_id', '=', subaccountId)
      .where('day', '>=', fromDay)
      .executeTakeFirst();
    return BigInt(row?.spent ?? 0);
  }

  async limits(accountIds: readonly string[]): Promise<Map<string, LimitsRow>> {
    if (accountIds.length === 0) return new Map();
    const rows = await this.q
      .selectFrom('credit_limits')
      .select([
        'account_id',
        'max_sessions',
        'max_destination_rate_micros',
        'daily_spend_cap_micros',
        'monthly_spend_cap_micros',
      ])
      .where('account_id', 'in', accountIds)
      .execute();
    return new Map(rows.map((row) => [row.account_id, row]));
  }

  async saveLimits(row: LimitsRow & { updated_by: string }, at: Date): Promise<void> {
    await this.q
      .insertInto('credit_limits')
      .values({ ...row, updated_at: at })
      .onConflict((conflict) =>
        conflict.column('account_id').doUpdateSet({
          max_sessions: row.max_sessions,
          max_destination_rate_micros: row.max_destination_rate_micros,
          daily_spend_cap_micros: row.daily_spend_cap_micros,
          monthly_spend_cap_micros: row.monthly_spend_cap_micros,
          updated_by: row.updated_by,
          updated_at: at,
        }),
      )
      .execute();
  }

  /** Open calls whose cover ends before `until`, oldest first: the renewal's work. */
  async coverEndingBefore(until: Date, limit: number): Promise<CreditSession[]> {
    return this.q
      .selectFrom('credit_sessions')
      .selectAll()
      .where('status', '=', 'open')
      .where('product', '=', 'voice')
      .where('disconnect_requested_at', 'is', null)
      .where(sql<boolean>`opened_at + covered * interval '1 second' < ${until}`)
      .orderBy('opened_at')
      .limit(limit)
      .execute();
  }

  /** The account's open calls still to be renewed (no disconnect asked), oldest first. */
  async callsOf(accountId: string): Promise<CreditSession[]> {
    return this.q
      .selectFrom('credit_sessions')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('status', '=', 'open')
      .where('product', '=', 'voice')
      .where('disconnect_requested_at', 'is', null)
      .orderBy('opened_at')
      .execute();
  }

  async openOf(accountId: string, subaccountId?: string): Promise<CreditSession[]> {
    let query = this.q
      .selectFrom('credit_sessions')
      .selectAll()
      .where('status', '=', 'open')
      .where((where) =>
        subaccountId ? where('subaccount_id', '=', subaccountId) : where('account_id', '=', accountId),
      );
    query = query.orderBy('opened_at');
    return query.execute();
  }

  async expiredBefore(at: Date, limit: number): Promise<CreditSession[]> {
    return this.q
      .selectFrom('credit_sessions')
      .selectAll()
      .where('status', '=', 'open')
      .where('expires_at', '<=', at)
      .orderBy('expires_at')
      .limit(limit)
      .execute();
  }

  /** Marks sessions as told to disconnect; answers those not told before. */
  async markDisconnect(ids: readonly string[], reason: string, at: Date) {
    if (ids.length === 0) return [];
    return this.q
      .updateTable('credit_sessions')
      .set({ disconnect_requested_at: at, disconnect_reason: reason })
      .where('id', 'in', ids)
      .where('disconnect_requested_at', 'is', null)
      .returning(['engine_id', 'session_id'])
      .execute();
  }

  /** The usage record an ended session was charged by (an id the engine had posted as usage charges there). */
  async recordedAmount(engineId: string, eventId: string): Promise<bigint> {
    const row = await this.q
      .selectFrom('usage_records')
      .select('amount_micros')
      .where('engine_id', '=', engineId)
      .where('event_id', '=', eventId)
      .executeTakeFirst();
    return row ? BigInt(row.amount_micros) : 0n;
  }

  /** Subaccounts with a spend cap, with their main account's time zone. */
  async cappedSubaccounts() {
    return this.q
      .selectFrom('credit_limits as l')
      .innerJoin('accounts as s', 's.id', 'l.account_id')
      .innerJoin('accounts as m', 'm.id', 's.parent_account_id')
      .select([
        's.id as subaccountId',
        's.auth_id as subaccountAuthId',
        's.name as subaccountName',
        'm.id as accountId',
        'm.timezone as timezone',
        'm.currency as currency',
        'l.daily_spend_cap_micros as dailyCap',
        'l.monthly_spend_cap_micros as monthlyCap',
      ])
      .where('s.deleted_at', 'is', null)
      .where((where) =>
        where.or([
          where('l.daily_spend_cap_micros', 'is not', null),
          where('l.monthly_spend_cap_micros', 'is not', null),
        ]),
      )
      .execute();
  }

  /** The account's live subaccounts with their open sessions, oldest first. */
  async subaccountsWithUse(accountId: string) {
    return this.q
      .selectFrom('accounts as s')
      .leftJoin('credit_sessions as c', (join) =>
        join.onRef('c.subaccount_id', '=', 's.id').on('c.status', '=', 'open'),
      )
      .select(['s.id', 's.auth_id as authId', 's.name', sql<string>`count(c.id)::text`.as('open')])
      .where('s.parent_account_id', '=', accountId)
      .where('s.deleted_at', 'is', null)
      .groupBy(['s.id', 's.auth_id', 's.name', 's.created_at'])
      .orderBy('s.created_at')
      .execute();
  }

  /** Records a cap alert; answers false when this period's alert at this percentage was sent already. */
  async claimCapAlert(subaccountId: string, period: string, percent: 80 | 100): Promise<boolean> {
    const inserted = await this.q
      .insertInto('spend_cap_alerts')
      .values({ subaccount_id: subaccountId, period, percent })
      .onConflict((conflict) => conflict.doNothing())
      .returning('percent')
      .execute();
    return inserted.length > 0;
  }
}
