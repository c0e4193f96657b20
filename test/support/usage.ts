import { randomBytes } from 'node:crypto';
import type { Db } from '../../src/db/database.js';
import type { UsageDirection, UsageProduct } from '../../src/db/schema.js';
import { newId } from '../../src/lib/ids.js';

/**
 * Usage as the charging transaction leaves it, written straight into usage_daily and usage_records:
 * for tests of what reads them (Usage Summary, the usage API, the export, the daily email).
 */
export interface DailyUsage {
  accountId: string;
  subaccountId?: string | null;
  day: string;
  product: UsageProduct | 'numbers';
  direction?: UsageDirection | 'none';
  events: number;
  quantity: number;
  amountMicros: bigint;
}

export async function addDailyUsage(db: Db, rows: DailyUsage[]) {
  await db
    .insertInto('usage_daily')
    .values(
      rows.map((row) => ({
        account_id: row.accountId,
        subaccount_id: row.subaccountId ?? null,
        day: row.day,
        product: row.product,
        direction: row.direction ?? (row.product === 'numbers' ? 'none' : 'outbound'),
        events: BigInt(row.events),
        quantity: BigInt(row.quantity),
        amount_micros: row.amountMicros,
      })),
    )
    .execute();
}

/** An engine of its own, for usage records to name. */
export async function testEngine(db: Db): Promise<string> {
  const id = newId();
  await db
    .insertInto('engines')
    .values({ id, name: `test-${randomBytes(4).toString('hex')}`, key_digest: 'x', created_by: 'test' })
    .execute();
  return id;
}

export interface RecordDraft {
  accountId: string;
  subaccountId?: string | null;
  product?: UsageProduct;
  direction?: UsageDirection;
  from?: string;
  to?: string;
  startedAt: Date;
  /** The local day; by default started_at's UTC day. */
  day?: string;
  quantity?: number;
  amountMicros?: bigint;
  eventId?: string;
}

export async function addUsageRecords(db: Db, engineId: string, records: RecordDraft[]) {
  const batchId = newId();
  await db
    .insertInto('usage_records')
    .values(
      records.map((record) => ({
        engine_id: engineId,
        event_id: record.eventId ?? newId(),
        batch_id: batchId,
        account_id: record.accountId,
        subaccount_id: record.subaccountId ?? null,
        product: record.product ?? 'sms',
        direction: record.direction ?? 'outbound',
        from_number: record.from ?? '14155550100',
        to_number: record.to ?? '447700900123',
        number_type: '',
        country_iso: 'GB',
        prefix: '44',
        quantity: BigInt(record.quantity ?? 1),
        billed_quantity: BigInt(record.quantity ?? 1),
        rate_micros: 40_000n,
        amount_micros: record.amountMicros ?? 40_000n,
        started_at: record.startedAt,
        day: record.day ?? record.startedAt.toISOString().slice(0, 10),
      })),
    )
    .execute();
}
