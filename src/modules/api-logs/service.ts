import { type RawBuilder, sql } from 'kysely';
import { type Db, executor } from '../../db/database.js';
import type { Clock } from '../../lib/clock.js';
import type { ApiRequestRecord } from '../gate/request-log.js';
import { ApiLogErrors } from './errors.js';

export interface ApiLogFilter {
  from?: string;
  to?: string;
  status?: string;
  path?: string;
  /** An SA Auth ID of the account: its requests only; the main Auth ID: the main account's only. */
  subaccount?: string;
  limit: number;
  offset: number;
}

const STATUS = /^([1-5])(xx|\d\d)$/;

/**
 * One logged request as Logs > API lists it: what the gate recorded, without the account and token,
 * and the subaccount whose credentials made it (null: the main account's).
 */
export type ApiRequestView = Omit<ApiRequestRecord, 'accountId' | 'tokenId'> & { subaccount: string | null };

/** Failed authentications against one Auth ID from one address in one hour. */
export interface FailedAuthenticationView {
  authId: string;
  subaccount: boolean;
  ip: string;
  count: number;
  firstAt: Date;
  lastAt: Date;
}

/** Failed sign-ins to the API are shown for this long back. */
const FAILURES_WINDOW_MS = 30 * 86_400_000;

/** Without a From date the log shows one day: reading expands every logged request in the window. */
const DEFAULT_WINDOW_MS = 24 * 3_600_000;

/** Logs > API: the /v1 requests of the account and its subaccounts, newest first, filtered by date, status, path and subaccount. */
export class ApiLogService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /** The requests of the window (the 24 hours before `to` or now when no `from` is given), newest first, and the window's start. */
  async search(accountId: string, filter: ApiLogFilter) {
    const to = filter.to ? new Date(filter.to) : undefined;
    const from = filter.from
      ? new Date(filter.from)
      : new Date((to ?? this.clock.now()).getTime() - DEFAULT_WINDOW_MS);
    if (Number.isNaN(from.getTime()) || (to && Number.isNaN(to.getTime()))) {
      throw ApiLogErrors.invalidDate();
    }
    const status = filter.status ? STATUS.exec(filter.status) : undefined;
    if (filter.status && !status) {
      throw ApiLogErrors.invalidStatus();
    }
    // Batches that can hold a match first (by the account index), then their requests.
    const ofAccounts = filter.subaccount
      ? sql`b.account_id IN (SELECT a.id FROM accounts a WHERE a.auth_id = ${filter.subaccount}
          AND (a.id = ${accountId} OR a.parent_account_id = ${accountId}))`
      : sql`(b.account_id = ${accountId}
          OR b.account_id IN (SELECT a.id FROM accounts a WHERE a.parent_account_id = ${accountId}))`;
    const batchWhere = [ofAccounts, sql`b.last_at >= ${from}`];
    if (to) batchWhere.push(sql`b.first_at <= ${to}`);
    const where: RawBuilder<unknown>[] = [sql`at >= ${from}`];
    if (to) where.push(sql`at <= ${to}`);
    if (status?.[2] === 'xx') {
      const low = Number(status[1]) * 100;
      where.push(sql`status >= ${low}`, sql`status < ${low + 100}`);
    } else if (status) {
      where.push(sql`status = ${Number(filter.status)}`);
    }
    if (filter.path) {
      where.push(sql`path LIKE ${`%${filter.path.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`);
    }
    // Migration 0010 has the batches' layout.
    const requests = sql`
      SELECT b.id AS batch_id, e.n,
        b.api_id_prefix || lpad(to_hex((e.r->>0)::bigint), 12, '0') AS api_id,
        b.paths->((e.r->>1)::int)->>0 AS method, b.paths->((e.r->>1)::int)->>1 AS path,
        (e.r->>2)::int AS status, b.ips->>((e.r->>3)::int) AS ip, (e.r->>4)::int AS duration_ms,
        b.first_at + (e.r->>5)::bigint * interval '1 millisecond' AS at,
        (SELECT s.auth_id FROM accounts s WHERE s.id = b.account_id AND s.parent_account_id IS NOT NULL) AS subaccount
      FROM api_request_batches b CROSS JOIN LATERAL json_array_elements(b.requests) WITH ORDINALITY AS e(r, n)
      WHERE ${sql.join(batchWhere, sql` AND `)}`;
    const matching = sql`WHERE ${sql.join(where, sql` AND `)}`;
    const db = executor(this.db);
    const page = await sql<ApiRequestView>`
      SELECT api_id AS "apiId", method, path, status, ip, duration_ms AS "durationMs", at, subaccount
      FROM (${requests}) AS requests ${matching}
      ORDER BY at DESC, batch_id DESC, n DESC
      LIMIT ${filter.limit} OFFSET ${filter.offset}`.execute(db);
    const total = await sql<{ count: bigint }>`
      SELECT count(*) AS count FROM (${requests}) AS requests ${matching}`.execute(db);
    return { requests: page.rows, total: Number(total.rows[0]?.count ?? 0), from };
  }

  /**
   * Failed sign-ins to the API against the Auth IDs of the account and its subaccounts over the last
   * 30 days, per address and hour, newest first: what the compromise checklist asks Owners and Admins to look at.
   */
  async failedAuthentications(accountId: string): Promise<FailedAuthenticationView[]> {
    const since = new Date(this.clock.now().getTime() - FAILURES_WINDOW_MS);
    return executor(this.db)
      .selectFrom('api_auth_failures as f')
      .innerJoin('accounts as a', 'a.id', 'f.account_id')
      .select([
        'a.auth_id as authId',
        sql<boolean>`a.parent_account_id IS NOT NULL`.as('subaccount'),
        'f.ip',
        'f.count',
        'f.first_at as firstAt',
        'f.last_at as lastAt',
      ])
      .where((eb) => eb.or([eb('a.id', '=', accountId), eb('a.parent_account_id', '=', accountId)]))
      .where('f.last_at', '>=', since)
      .orderBy('f.last_at', 'desc')
      .limit(200)
      .execute();
  }
}
