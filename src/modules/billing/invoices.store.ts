import { sql } from 'kysely';
import { type Db, executor } from '../../db/database.js';
import type { LedgerEntryKind, UsageProduct } from '../../db/schema.js';

/** The operator's one numbering sequence (a row of invoice_counters). */
export const INVOICE_SEQUENCE = 'invoice';

/** An (account, month) whose invoice is due: the month ended in the account's zone and is not invoiced. */
export interface DueInvoice {
  accountId: string;
  /** The month's first day, 'YYYY-MM-DD'. */
  period: string;
}

/** What an invoice needs of its account. */
export interface InvoiceAccount {
  id: string;
  name: string;
  authId: string;
  timezone: string;
  currency: string;
}

export interface KindTotal {
  kind: LedgerEntryKind;
  entries: number;
  micros: bigint;
}

export interface UsageTotal {
  subaccountId: string | null;
  product: UsageProduct;
  events: bigint;
  quantity: bigint;
  micros: bigint;
}

export interface RentalTotal {
  subaccountId: string | null;
  numbers: number;
  micros: bigint;
}

export interface ListedEntry {
  at: Date;
  kind: LedgerEntryKind;
  description: string | null;
  reference: string | null;
  micros: bigint;
}

export interface NewInvoice {
  id: string;
  number: bigint;
  accountId: string;
  period: string;
  timezone: string;
  start: Date;
  end: Date;
  currency: string;
  openingMicros: bigint;
  debitsMicros: bigint;
  creditsMicros: bigint;
  closingMicros: bigint;
  facts: string;
  pdf: Buffer;
  pdfSha256: string;
  issuedAt: Date;
}

/** An issued invoice as lists show it. */
export interface InvoiceRow {
  id: string;
  number: bigint;
  period: string;
  timezone: string;
  periodStart: Date;
  periodEnd: Date;
  currency: string;
  openingMicros: bigint;
  debitsMicros: bigint;
  creditsMicros: bigint;
  closingMicros: bigint;
  pdfSha256: string;
  issuedAt: Date;
}

/** SQL for invoices and invoice_counters, and the ledger and usage sums an invoice is made of. */
export class InvoiceStore {
  constructor(private readonly db: Db) {}

  private get q() {
    return executor(this.db);
  }

  /**
   * Months due at `now`: per main account that has a ledger, its latest local month that ended at
   * least `graceMinutes` ago, and every month after its latest invoice up to that one (so a month is
   * never skipped once invoices started, and history before the first is not invoiced). A month is
   * due only when it had entries or its opening balance is not zero.
   */
  async due(now: Date, graceMinutes: number): Promise<DueInvoice[]> {
    const { rows } = await sql<DueInvoice>`
      WITH a AS (
        SELECT id, timezone,
          (date_trunc('month', (${now}::timestamptz - make_interval(mins => ${graceMinutes})) AT TIME ZONE timezone)
            - interval '1 month')::date AS latest
        FROM accounts
        WHERE parent_account_id IS NULL
          AND EXISTS (SELECT 1 FROM ledger_entries e WHERE e.account_id = accounts.id)
      ),
      months AS (
        SELECT a.id, a.timezone, p::date AS period
        FROM a
        LEFT JOIN LATERAL (SELECT max(period) AS last FROM invoices i WHERE i.account_id = a.id) l ON true
        CROSS JOIN LATERAL generate_series(
          coalesce((l.last + interval '1 month')::date, a.latest)::timestamp, a.latest::timestamp, interval '1 month') AS p
      )
      SELECT m.id AS "accountId", to_char(m.period, 'YYYY-MM-DD') AS period
      FROM months m
      WHERE NOT EXISTS (SELECT 1 FROM invoices i WHERE i.account_id = m.id AND i.period = m.period)
        AND (
          EXISTS (SELECT 1 FROM ledger_entries e WHERE e.account_id = m.id
            AND e.created_at >= (m.period::timestamp AT TIME ZONE m.timezone)
            AND e.created_at < ((m.period + interval '1 month')::timestamp AT TIME ZONE m.timezone))
          OR coalesce(
            (SELECT closing_micros FROM invoices i WHERE i.account_id = m.id AND i.period = (m.period - interval '1 month')::date),
            (SELECT sum(amount_micros) FROM ledger_entries e WHERE e.account_id = m.id
              AND e.created_at < (m.period::timestamp AT TIME ZONE m.timezone)),
            0) <> 0)
      ORDER BY m.id, m.period`.execute(this.q);
    return rows;
  }

  /** Locks the sequence's counter row until the transaction ends; answers the last number taken. */
  async lockCounter(sequence = INVOICE_SEQUENCE): Promise<bigint> {
    const { rows } = await sql<{ last_number: bigint }>`
      SELECT last_number FROM invoice_counters WHERE sequence = ${sequence} FOR UPDATE`.execute(this.q);
    const row = rows[0];
    if (!row) throw new Error(`No invoice counter ${sequence}`);
    return row.last_number;
  }

  async setCounter(number: bigint, sequence = INVOICE_SEQUENCE): Promise<void> {
    await this.q
      .updateTable('invoice_counters')
      .set({ last_number: number })
      .where('sequence', '=', sequence)
      .execute();
  }

  async isPurged(accountId: string): Promise<boolean> {
    const row = await this.q
      .selectFrom('accounts')
      .select('id')
      .where('id', '=', accountId)
      .where('purged_at', 'is not', null)
      .executeTakeFirst();
    return row !== undefined;
  }

  async isInvoiced(accountId: string, period: string): Promise<boolean> {
    const row = await this.q
      .selectFrom('invoices')
      .select('id')
      .where('account_id', '=', accountId)
      .where('period', '=', period)
      .executeTakeFirst();
    return row !== undefined;
  }

  async account(accountId: string): Promise<InvoiceAccount | undefined> {
    return this.q
      .selectFrom('accounts')
      .select(['id', 'name', 'auth_id as authId', 'timezone', 'currency'])
      .where('id', '=', accountId)
      .where('parent_account_id', 'is', null)
      .executeTakeFirst();
  }

  /**
   * The month's bounds as instants: it starts where the previous month's invoice ended (so balances
   * chain even if the account changed its time zone), else at local midnight of its first day, and
   * ends at local midnight of the next month's first day.
   */
  async bounds(accountId: string, period: string, timezone: string): Promise<{ start: Date; end: Date }> {
    const { rows } = await sql<{ start: Date; end: Date }>`
      SELECT coalesce(
          (SELECT period_end FROM invoices WHERE account_id = ${accountId}
            AND period = (${period}::date - interval '1 month')::date),
          ${period}::date::timestamp AT TIME ZONE ${timezone}) AS start,
        ((${period}::date + interval '1 month')::timestamp AT TIME ZONE ${timezone}) AS end`.execute(this.q);
    return rows[0] as { start: Date; end: Date };
  }

  /** The ledger's sum of the account's entries before `at`. */
  async balanceBefore(accountId: string, at: Date): Promise<bigint> {
    const { rows } = await sql<{ sum: bigint }>`
      SELECT coalesce(sum(amount_micros), 0)::bigint AS sum FROM ledger_entries
      WHERE account_id = ${accountId} AND created_at < ${at}`.execute(this.q);
    return rows[0]?.sum ?? 0n;
  }

  /** The entries at or after `start` and before `end`, summed per kind; and their debits and credits. */
  async kinds(accountId: string, start: Date, end: Date): Promise<KindTotal[]> {
    const { rows } = await sql<KindTotal>`
      SELECT kind, count(*)::int AS entries, sum(amount_micros)::bigint AS micros FROM ledger_entries
      WHERE account_id = ${accountId} AND created_at >= ${start} AND created_at < ${end}
      GROUP BY kind ORDER BY kind`.execute(this.q);
    return rows;
  }

  async debitsAndCredits(
    accountId: string,
    start: Date,
    end: Date,
  ): Promise<{ debits: bigint; credits: bigint }> {
    const { rows } = await sql<{ debits: bigint; credits: bigint }>`
      SELECT coalesce(sum(amount_micros) FILTER (WHERE amount_micros < 0), 0)::bigint AS debits,
        coalesce(sum(amount_micros) FILTER (WHERE amount_micros > 0), 0)::bigint AS credits
      FROM ledger_entries
      WHERE account_id = ${accountId} AND created_at >= ${start} AND created_at < ${end}`.execute(this.q);
    return rows[0] as { debits: bigint; credits: bigint };
  }

  /** Number rentals charged in the bounds, per subaccount (null: the main account's own). */
  async rentals(accountId: string, start: Date, end: Date): Promise<RentalTotal[]> {
    const { rows } = await sql<RentalTotal>`
      SELECT subaccount_id AS "subaccountId", count(*)::int AS numbers, (-sum(amount_micros))::bigint AS micros
      FROM ledger_entries
      WHERE account_id = ${accountId} AND kind = 'rental' AND created_at >= ${start} AND created_at < ${end}
      GROUP BY subaccount_id ORDER BY subaccount_id NULLS FIRST`.execute(this.q);
    return rows;
  }

  /** The entries listed one by one (not usage, not rentals), oldest first. */
  async listedEntries(accountId: string, start: Date, end: Date): Promise<ListedEntry[]> {
    const { rows } = await sql<ListedEntry>`
      SELECT created_at AS at, kind, description, reference, amount_micros AS micros FROM ledger_entries
      WHERE account_id = ${accountId} AND kind NOT IN ('charge', 'rental')
        AND created_at >= ${start} AND created_at < ${end}
      ORDER BY created_at, id`.execute(this.q);
    return rows;
  }

  /** Usage (not rentals) of the local days from `fromDay` to `toDay`, per subaccount and product. */
  async usage(accountId: string, fromDay: string, toDay: string): Promise<UsageTotal[]> {
    const { rows } = await sql<UsageTotal>`
      SELECT subaccount_id AS "subaccountId", product, sum(events)::bigint AS events,
        sum(quantity)::bigint AS quantity, sum(amount_micros)::bigint AS micros
      FROM usage_daily
      WHERE account_id = ${accountId} AND day BETWEEN ${fromDay}::date AND ${toDay}::date AND product <> 'numbers'
      GROUP BY subaccount_id, product ORDER BY subaccount_id NULLS FIRST, product`.execute(this.q);
    return rows;
  }

  async subaccounts(accountId: string): Promise<Map<string, { name: string; authId: string }>> {
    const rows = await this.q
      .selectFrom('accounts')
      .select(['id', 'name', 'auth_id as authId'])
      .where('parent_account_id', '=', accountId)
      .execute();
    return new Map(rows.map((row) => [row.id, { name: row.name, authId: row.authId }]));
  }

  async insert(invoice: NewInvoice): Promise<void> {
    await this.q
      .insertInto('invoices')
      .values({
        id: invoice.id,
        number: invoice.number,
        account_id: invoice.accountId,
        period: invoice.period,
        timezone: invoice.timezone,
        period_start: invoice.start,
        period_end: invoice.end,
        currency: invoice.currency,
        opening_micros: invoice.openingMicros,
        debits_micros: invoice.debitsMicros,
        credits_micros: invoice.creditsMicros,
        closing_micros: invoice.closingMicros,
        facts: invoice.facts,
        pdf: invoice.pdf,
        pdf_sha256: invoice.pdfSha256,
        issued_at: invoice.issuedAt,
      })
      .execute();
  }

  /** The account's invoices, the newest month first. */
  async list(accountId: string): Promise<InvoiceRow[]> {
    return this.q
      .selectFrom('invoices')
      .select([
        'id',
        'number',
        sql<string>`to_char(period, 'YYYY-MM')`.as('period'),
        'timezone',
        'period_start as periodStart',
        'period_end as periodEnd',
        'currency',
        'opening_micros as openingMicros',
        'debits_micros as debitsMicros',
        'credits_micros as creditsMicros',
        'closing_micros as closingMicros',
        'pdf_sha256 as pdfSha256',
        'issued_at as issuedAt',
      ])
      .where('account_id', '=', accountId)
      .orderBy('period', 'desc')
      .execute();
  }

  /** An invoice's PDF as issued, only if it is the account's. */
  async pdf(accountId: string, invoiceId: string): Promise<{ number: bigint; pdf: Uint8Array } | undefined> {
    return this.q
      .selectFrom('invoices')
      .select(['number', 'pdf'])
      .where('id', '=', invoiceId)
      .where('account_id', '=', accountId)
      .executeTakeFirst();
  }

  /** The local month running at `now` and the moment it ends, in the account's zone. */
  async currentMonth(accountId: string, now: Date): Promise<{ period: string; end: Date } | undefined> {
    const { rows } = await sql<{ period: string; end: Date }>`
      SELECT to_char(date_trunc('month', ${now}::timestamptz AT TIME ZONE timezone), 'YYYY-MM') AS period,
        ((date_trunc('month', ${now}::timestamptz AT TIME ZONE timezone) + interval '1 month') AT TIME ZONE timezone) AS end
      FROM accounts WHERE id = ${accountId} AND parent_account_id IS NULL`.execute(this.q);
    return rows[0];
  }
}
