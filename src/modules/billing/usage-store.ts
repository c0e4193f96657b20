import { sql } from 'kysely';
import { type Db, executor } from '../../db/database.js';
import type { PricedNumberType, UsageDirection, UsageProduct } from '../../db/schema.js';

/**
 * An account a usage event names, with the main account that pays: facts that never change once the
 * account exists (auth ids are never reused, an account keeps its currency), so they may be cached.
 * The time zone, which may change, is read in the claiming statement.
 */
export interface UsageAccount {
  authId: string;
  /** The main account: its ledger is charged. */
  mainAccountId: string;
  /** The subaccount, when the event names one. */
  subaccountId: string | null;
  currency: string;
}

/** A rated event to record. */
export interface UsageRecordDraft {
  engineId: string;
  /** Set when a charging transaction takes the event. */
  batchId: string;
  eventId: string;
  mainAccountId: string;
  subaccountId: string | null;
  /** The main account's: its charge is in it. */
  currency: string;
  product: UsageProduct;
  direction: UsageDirection;
  from: string;
  to: string;
  numberType: PricedNumberType;
  countryIso: string;
  prefix: string;
  quantity: bigint;
  billedQuantity: bigint;
  rateMicros: bigint;
  amountMicros: bigint;
  startedAt: string;
}

/** One usage_daily row's increment: events, quantity (seconds or segments as used, before increments) and amount. */
export interface DailyIncrement {
  accountId: string;
  subaccountId: string | null;
  day: string;
  product: UsageProduct;
  direction: UsageDirection;
  events: number;
  quantity: bigint;
  amountMicros: bigint;
}

/** usage_daily_key's stand-in for "no subaccount": inferring the index needs the same literal, not a parameter. */
const NO_SUBACCOUNT = '00000000-0000-0000-0000-000000000000';

/**
 * SQL for usage_records and usage_daily. Every write is one statement for the whole batch (arrays
 * through unnest), never one per event.
 */
export class UsageStore {
  constructor(private readonly db: Db) {}

  /** The accounts (main or sub) with these auth ids. */
  async accounts(authIds: readonly string[]): Promise<Map<string, UsageAccount>> {
    const found = new Map<string, UsageAccount>();
    if (authIds.length === 0) return found;
    const { rows } = await sql<{
      auth_id: string;
      id: string;
      parent_account_id: string | null;
      currency: string;
    }>`
      SELECT a.auth_id, a.id, a.parent_account_id, m.currency
      FROM accounts a JOIN accounts m ON m.id = coalesce(a.parent_account_id, a.id)
      WHERE a.auth_id = ANY(${authIds}::text[])`.execute(executor(this.db));
    for (const row of rows)
      found.set(row.auth_id, {
        authId: row.auth_id,
        mainAccountId: row.parent_account_id ?? row.id,
        subaccountId: row.parent_account_id ? row.id : null,
        currency: row.currency,
      });
    return found;
  }

  /** Which of these event ids the engine has recorded. */
  async recorded(engineId: string, eventIds: readonly string[]): Promise<Set<string>> {
    if (eventIds.length === 0) return new Set();
    const { rows } = await sql<{ event_id: string }>`
      SELECT event_id FROM usage_records
      WHERE engine_id = ${engineId} AND event_id = ANY(${eventIds}::text[])`.execute(executor(this.db));
    return new Set(rows.map((row) => row.event_id));
  }

  /**
   * Claims and records the events in one statement: an event id its engine recorded before (or a
   * concurrent transaction records first) is skipped. Answers the claimed events ("engine|event id")
   * with their day in the main account's time zone (read here: it may change). Drafts must be sorted by engine and event id, so
   * concurrent claims of overlapping batches wait for each other in one order instead of deadlocking.
   */
  async claim(
    drafts: readonly (UsageRecordDraft & { engineId: string; batchId: string })[],
  ): Promise<Map<string, string>> {
    const column = <T>(pick: (draft: (typeof drafts)[number]) => T) => drafts.map(pick);
    const { rows } = await sql<{ engine_id: string; event_id: string; day: string }>`
      INSERT INTO usage_records (engine_id, event_id, batch_id, account_id, subaccount_id, product, direction,
        from_number, to_number, number_type, country_iso, prefix, quantity, billed_quantity, rate_micros,
        amount_micros, started_at, day)
      SELECT e.engine_id, e.event_id, e.batch_id, e.account_id, e.subaccount_id, e.product, e.direction,
        e.from_number, e.to_number, e.number_type, e.country_iso, e.prefix, e.quantity, e.billed_quantity,
        e.rate_micros, e.amount_micros, e.started_at, (e.started_at AT TIME ZONE m.timezone)::date
      FROM unnest(
        ${column((d) => d.engineId)}::uuid[],
        ${column((d) => d.eventId)}::text[],
        ${column((d) => d.batchId)}::uuid[],
        ${column((d) => d.mainAccountId)}::uuid[],
        ${column((d) => d.subaccountId)}::uuid[],
        ${column((d) => d.product)}::text[],
        ${column((d) => d.direction)}::text[],
        ${column((d) => d.from)}::text[],
        ${column((d) => d.to)}::text[],
        ${column((d) => d.numberType)}::text[],
        ${column((d) => d.countryIso)}::text[],
        ${column((d) => d.prefix)}::text[],
        ${column((d) => d.quantity.toString())}::bigint[],
        ${column((d) => d.billedQuantity.toString())}::bigint[],
        ${column((d) => d.rateMicros.toString())}::bigint[],
        ${column((d) => d.amountMicros.toString())}::bigint[],
        ${column((d) => d.startedAt)}::timestamptz[]
      ) WITH ORDINALITY AS e(engine_id, event_id, batch_id, account_id, subaccount_id, product, direction,
        from_number, to_number, number_type, country_iso, prefix, quantity, billed_quantity, rate_micros,
        amount_micros, started_at, position)
      JOIN accounts m ON m.id = e.account_id
      ORDER BY e.position
      ON CONFLICT (engine_id, event_id) DO NOTHING
      RETURNING engine_id, event_id, day::text AS day`.execute(executor(this.db));
    return new Map(rows.map((row) => [`${row.engine_id}|${row.event_id}`, row.day]));
  }

  /** Adds to the daily rollups in one statement; `increments` must be in one fixed order (sorted by key). */
  async addDaily(increments: readonly DailyIncrement[]): Promise<void> {
    if (increments.length === 0) return;
    const column = <T>(pick: (increment: DailyIncrement) => T) => increments.map(pick);
    await sql`
      INSERT INTO usage_daily (account_id, subaccount_id, day, product, direction, events, quantity, amount_micros)
      SELECT d.account_id, d.subaccount_id, d.day, d.product, d.direction, d.events, d.quantity, d.amount_micros
      FROM unnest(
        ${column((i) => i.accountId)}::uuid[],
        ${column((i) => i.subaccountId)}::uuid[],
        ${column((i) => i.day)}::date[],
        ${column((i) => i.product)}::text[],
        ${column((i) => i.direction)}::text[],
        ${column((i) => String(i.events))}::bigint[],
        ${column((i) => i.quantity.toString())}::bigint[],
        ${column((i) => i.amountMicros.toString())}::bigint[]
      ) WITH ORDINALITY AS d(account_id, subaccount_id, day, product, direction, events, quantity, amount_micros, position)
      ORDER BY d.position
      ON CONFLICT (account_id, day, product, direction, (coalesce(subaccount_id, ${sql.raw(`'${NO_SUBACCOUNT}'::uuid`)})))
      DO UPDATE SET events = usage_daily.events + excluded.events,
        quantity = usage_daily.quantity + excluded.quantity,
        amount_micros = usage_daily.amount_micros + excluded.amount_micros`.execute(executor(this.db));
  }
}
