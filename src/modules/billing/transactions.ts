import { type SqlBool, sql } from 'kysely';
import { type Db, executor } from '../../db/database.js';
import type { LedgerEntryKind } from '../../db/schema.js';
import { csvField } from '../../lib/csv.js';
import { isCalendarDate } from '../../lib/dates.js';
import { assertThat, ValidationFailed } from '../../lib/errors.js';
import type { Money } from '../../lib/money.js';
import { LedgerErrors } from './errors.js';

const KINDS: readonly LedgerEntryKind[] = [
  'trial_credit',
  'recharge',
  'charge',
  'rental',
  'refund',
  'adjustment',
  'reversal',
];

/** Billing > Transactions' filters, as the console sends them. */
export interface TransactionFilter {
  kind?: string;
  /** First and last day (YYYY-MM-DD, both included) in the account's time zone. */
  from?: string;
  to?: string;
  /** A subaccount's Auth ID. */
  subaccount?: string;
}

/** One ledger entry as the customer sees it: who caused it only as a kind of actor (never a staff id). */
export interface TransactionView {
  id: string;
  createdAt: Date;
  kind: LedgerEntryKind;
  amountMicros: string;
  currency: string;
  subaccount: string | null;
  description: string | null;
  reference: string | null;
  by: string;
}

interface Conditions {
  accountId: string;
  kind?: LedgerEntryKind;
  subaccountId?: string;
  from?: string;
  to?: string;
  timezone: string;
}

/** Rows per query of an export: the export holds one page at a time, whatever the ledger's length. */
const EXPORT_PAGE = 1000;

/** Exact decimal units of micro-units ("-0.012345"), for files people open in a spreadsheet. */
export function unitsOf(micros: bigint): string {
  const magnitude = micros < 0n ? -micros : micros;
  return `${micros < 0n ? '-' : ''}${magnitude / 1_000_000n}.${(magnitude % 1_000_000n).toString().padStart(6, '0')}`;
}

/** What a transaction shows of a ledger entry (`e`) and its subaccount (`sub`), as viewOf reads it. */
export const transactionColumns = [
  'e.id',
  'e.created_at',
  'e.kind',
  'e.amount_micros',
  'e.currency',
  'sub.auth_id as subaccount_auth_id',
  'e.description',
  'e.reference',
  'e.caused_by',
] as const;

export const TRANSACTIONS_CSV_HEADER =
  'id,created_at,kind,amount,currency,subaccount,description,reference,by\n';

/**
 * Billing > Transactions: a main account's ledger, newest first, filtered by kind, days in the
 * account's time zone and subaccount, a page at a time or as a CSV export read in pages.
 */
export class TransactionHistory {
  constructor(private readonly db: Db) {}

  private get q() {
    return executor(this.db);
  }

  /** The filters checked and resolved (the subaccount must be the account's own). */
  private async conditions(accountId: string, filter: TransactionFilter): Promise<Conditions> {
    const account = await this.q
      .selectFrom('accounts')
      .select('timezone')
      .where('id', '=', accountId)
      .executeTakeFirstOrThrow();
    const conditions: Conditions = { accountId, timezone: account.timezone };
    if (filter.kind) {
      assertThat(
        KINDS.includes(filter.kind as LedgerEntryKind),
        ValidationFailed(LedgerErrors.invalidKind, `kind must be one of ${KINDS.join(', ')}.`, [
          { field: 'kind', message: `must be one of ${KINDS.join(', ')}` },
        ]),
      );
      conditions.kind = filter.kind as LedgerEntryKind;
    }
    for (const field of ['from', 'to'] as const) {
      const day = filter[field];
      if (!day) continue;
      assertThat(
        isCalendarDate(day),
        ValidationFailed(
          LedgerErrors.invalidDate,
          `${field} must be a date that exists, such as 2026-12-31.`,
          [{ field, message: 'must be a date that exists, such as 2026-12-31' }],
        ),
      );
      conditions[field] = day;
    }
    if (conditions.from && conditions.to)
      assertThat(
        conditions.from <= conditions.to,
        ValidationFailed(LedgerErrors.invalidDateRange, 'from must be on or before to.', [
          { field: 'from', message: 'must be on or before to' },
        ]),
      );
    if (filter.subaccount) {
      const sub = await this.q
        .selectFrom('accounts')
        .select('id')
        .where('auth_id', '=', filter.subaccount)
        .where('parent_account_id', '=', accountId)
        .executeTakeFirst();
      assertThat(
        sub,
        ValidationFailed(
          LedgerErrors.invalidSubaccount,
          `subaccount ${filter.subaccount} is not a subaccount of this account.`,
          [{ field: 'subaccount', message: 'must be a subaccount of this account' }],
        ),
      );
      conditions.subaccountId = sub.id;
    }
    return conditions;
  }

  private query(c: Conditions) {
    let query = this.q
      .selectFrom('ledger_entries as e')
      .leftJoin('accounts as sub', 'sub.id', 'e.subaccount_id')
      .where('e.account_id', '=', c.accountId);
    if (c.kind) query = query.where('e.kind', '=', c.kind);
    if (c.subaccountId) query = query.where('e.subaccount_id', '=', c.subaccountId);
    // A day is the account's: midnight there, as an instant, bounds it.
    if (c.from)
      query = query.where(
        sql<SqlBool>`e.created_at >= (${c.from}::date)::timestamp AT TIME ZONE ${c.timezone}`,
      );
    if (c.to)
      query = query.where(
        sql<SqlBool>`e.created_at < (${c.to}::date + 1)::timestamp AT TIME ZONE ${c.timezone}`,
      );
    return query;
  }

  /** Newest first by id: ids are given in posting order, and a position is one exact value (timestamps lose microseconds in JavaScript). */
  private select(c: Conditions, afterId?: bigint) {
    let query = this.query(c);
    if (afterId !== undefined) query = query.where('e.id', '<', afterId);
    return query.select(transactionColumns).orderBy('e.id', 'desc');
  }

  /** One page of the account's transactions, newest first, with how many match. */
  async page(accountId: string, filter: TransactionFilter, limit: number, offset: number) {
    const c = await this.conditions(accountId, filter);
    const [rows, count] = await Promise.all([
      this.select(c).limit(limit).offset(offset).execute(),
      this.query(c)
        .select((eb) => eb.fn.countAll().as('count'))
        .$castTo<{ count: bigint | string }>()
        .executeTakeFirstOrThrow(),
    ]);
    return { transactions: rows.map(viewOf), total: Number(count.count) };
  }

  /**
   * The CSV export: checks the filters first (a bad one refuses before anything is sent), then
   * answers the lines as it reads the ledger, a page at a time by position (never by offset), so an
   * export of any length holds one page in memory.
   */
  async csv(accountId: string, filter: TransactionFilter): Promise<AsyncIterable<string>> {
    const c = await this.conditions(accountId, filter);
    const select = (afterId?: bigint) => this.select(c, afterId).limit(EXPORT_PAGE).execute();
    return (async function* lines() {
      yield TRANSACTIONS_CSV_HEADER;
      let after: bigint | undefined;
      for (;;) {
        const rows = await select(after);
        if (rows.length === 0) return;
        let chunk = '';
        for (const row of rows) {
          const view = viewOf(row);
          chunk += `${[
            view.id,
            view.createdAt.toISOString(),
            view.kind,
            unitsOf(row.amount_micros),
            view.currency,
            view.subaccount ?? '',
            csvField(view.description ?? ''),
            csvField(view.reference ?? ''),
            view.by,
          ].join(',')}\n`;
        }
        yield chunk;
        const last = rows[rows.length - 1] as (typeof rows)[number];
        after = last.id;
        if (rows.length < EXPORT_PAGE) return;
      }
    })();
  }
}

/** The balance as the console shows it. */
export const balanceView = (balance: Money) => ({
  balanceMicros: balance.micros.toString(),
  currency: balance.currency,
});

export function viewOf(row: {
  id: bigint;
  created_at: Date;
  kind: LedgerEntryKind;
  amount_micros: bigint;
  currency: string;
  subaccount_auth_id: string | null;
  description: string | null;
  reference: string | null;
  caused_by: string;
}): TransactionView {
  return {
    id: row.id.toString(),
    createdAt: row.created_at,
    kind: row.kind,
    amountMicros: row.amount_micros.toString(),
    currency: row.currency,
    subaccount: row.subaccount_auth_id,
    description: row.description,
    reference: row.reference,
    by: row.caused_by.split(':')[0] ?? row.caused_by,
  };
}
