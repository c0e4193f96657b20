import { type Db, inTransaction } from '../../db/database.js';
import type { PricedNumberType, UsageDirection, UsageProduct } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import { formatMoney, money } from '../../lib/money.js';
import { UsageRejections } from './engine-errors.js';
import type { Ledger, LedgerEntryDraft } from './ledger.js';
import { countryOfNumber, type Prices } from './price-book.js';
import { rate } from './rating.js';
import { type DailyIncrement, type UsageAccount, type UsageRecordDraft, UsageStore } from './usage-store.js';

/** A usage event as an engine posts it (POST /api/engine/usage). */
export interface UsageEventInput {
  id: string;
  account: string;
  product: string;
  direction: string;
  from: string;
  to: string;
  number_type?: string;
  quantity: number;
  started_at: string;
}

/** What became of one event, in the order the engine sent them. */
export interface UsageOutcome {
  id: string;
  status: 'charged' | 'duplicate' | 'rejected';
  /** What the event was charged, 5 decimals ("0.00000" unless charged). */
  amount: string;
  /** Why it was not charged; null when it was. */
  reason: string | null;
}

const PRODUCTS: readonly string[] = ['voice', 'sms', 'mms'];
const DIRECTIONS: readonly string[] = ['outbound', 'inbound'];
const NUMBER_TYPES: readonly string[] = ['local', 'tollfree', 'mobile', 'ip'];
const AUTH_ID = /^(MA|SA)[A-Z0-9]{18}$/;
const ISO_TIME = /^(\d{4})-(\d\d)-(\d\d)T\d\d:\d\d(?::\d\d(?:\.\d{1,9})?)?(?:Z|[+-]\d\d:?\d\d)$/;
/** A quantity beyond this (68 years of seconds, 2^31 segments) is an engine's mistake, not usage. */
const MAX_QUANTITY = 2_147_483_647;
/** Engines' clocks drift; an event further ahead than this is refused as a bad time. */
const FUTURE_TOLERANCE_MS = 24 * 3600_000;
const EARLIEST = Date.UTC(2000, 0, 1);
const NOTHING = formatMoney(0n);

/** Milliseconds of an ISO 8601 time with a zone, or NaN (a day the month does not have included: Date.parse rolls it over). */
function isoTime(text: string): number {
  const parts = ISO_TIME.exec(text);
  if (!parts) return Number.NaN;
  const [year, month, day] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  if (month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate())
    return Number.NaN;
  return Date.parse(text);
}

interface Accepted {
  index: number;
  draft: UsageRecordDraft;
}

const rejected = (id: string, code: string, why: string): UsageOutcome => ({
  id,
  status: 'rejected',
  amount: NOTHING,
  reason: `${code}: ${why}`,
});
const duplicate = (id: string, why: string): UsageOutcome => ({
  id,
  status: 'duplicate',
  amount: NOTHING,
  reason: why,
});
const SEEN_BEFORE = 'already charged: this engine sent this event id before';

/**
 * Usage, rated and charged: engines post batches of events; each is rated at the price in force at
 * its start for its destination, and a batch is charged in one transaction that claims the events
 * (an id the engine sent before is a duplicate and charges nothing, whatever else differs), posts
 * one `charge` entry per main account and subaccount, and adds to the daily rollups. Usage never
 * waits for a balance check: a balance may go negative.
 */
export class UsageCharging {
  readonly store: UsageStore;

  constructor(
    private readonly db: Db,
    private readonly prices: Pick<Prices, 'current'>,
    private readonly ledger: Pick<Ledger, 'post'>,
    private readonly clock: Clock,
  ) {
    this.store = new UsageStore(db);
  }

  /** Rates and charges a batch; answers each event's outcome in the order given. */
  async charge(engineId: string, events: readonly UsageEventInput[]): Promise<UsageOutcome[]> {
    const outcomes: UsageOutcome[] = new Array(events.length);
    const book = await this.prices.current();
    const authIds = new Set<string>();
    for (const event of events) if (AUTH_ID.test(event.account)) authIds.add(event.account);
    const accounts = await this.store.accounts([...authIds]);
    const now = this.clock.now().getTime();
    const firstAt = new Map<string, number>();
    const accepted: Accepted[] = [];
    const rejectedIds: string[] = [];
    events.forEach((event, index) => {
      if (firstAt.has(event.id)) {
        outcomes[index] = duplicate(event.id, 'already in this batch: its first occurrence counts');
        return;
      }
      firstAt.set(event.id, index);
      const result = this.rateOne(event, accounts, book, now);
      if ('draft' in result) accepted.push({ index, draft: result.draft });
      else {
        outcomes[index] = result.outcome;
        rejectedIds.push(event.id);
      }
    });

    // A rejected event whose id the engine sent before is that earlier event's duplicate.
    for (const id of await this.store.recorded(engineId, rejectedIds)) {
      outcomes[firstAt.get(id) as number] = duplicate(id, SEEN_BEFORE);
    }
    if (accepted.length === 0) return outcomes;

    const batchId = newId();
    const drafts = accepted.map((item) => item.draft).sort((a, b) => (a.eventId < b.eventId ? -1 : 1));
    const claimed = await inTransaction(this.db, async () => {
      const days = await this.store.claim(engineId, batchId, drafts);
      const charged = drafts.filter((draft) => days.has(draft.eventId));
      await this.ledger.post(ledgerEntries(engineId, batchId, charged));
      await this.store.addDaily(dailyIncrements(charged, days));
      return days;
    });
    for (const { index, draft } of accepted) {
      outcomes[index] = claimed.has(draft.eventId)
        ? { id: draft.eventId, status: 'charged', amount: formatMoney(draft.amountMicros), reason: null }
        : duplicate(draft.eventId, SEEN_BEFORE);
    }
    return outcomes;
  }

  private rateOne(
    event: UsageEventInput,
    accounts: Map<string, UsageAccount>,
    book: Awaited<ReturnType<Prices['current']>>,
    now: number,
  ): { draft: UsageRecordDraft } | { outcome: UsageOutcome } {
    const { id } = event;
    const account = accounts.get(event.account);
    if (!account)
      return {
        outcome: rejected(
          id,
          UsageRejections.unknownAccount,
          `no account has the auth id "${event.account}"`,
        ),
      };
    if (!PRODUCTS.includes(event.product))
      return {
        outcome: rejected(
          id,
          UsageRejections.unknownProduct,
          `product "${event.product}" is not one of voice, sms, mms`,
        ),
      };
    if (!DIRECTIONS.includes(event.direction))
      return {
        outcome: rejected(
          id,
          UsageRejections.unknownDirection,
          `direction "${event.direction}" is not outbound or inbound`,
        ),
      };
    const numberType = event.number_type ?? '';
    if (numberType !== '' && !NUMBER_TYPES.includes(numberType))
      return {
        outcome: rejected(
          id,
          UsageRejections.unknownNumberType,
          `number_type "${numberType}" is not one of local, tollfree, mobile, ip`,
        ),
      };
    if (!Number.isInteger(event.quantity) || event.quantity < 0 || event.quantity > MAX_QUANTITY)
      return {
        outcome: rejected(
          id,
          UsageRejections.invalidQuantity,
          `quantity ${event.quantity} is not a whole number from 0 to ${MAX_QUANTITY} (seconds for voice, segments for messages)`,
        ),
      };
    const at = isoTime(event.started_at);
    if (!Number.isFinite(at) || at < EARLIEST || at > now + FUTURE_TOLERANCE_MS)
      return {
        outcome: rejected(
          id,
          UsageRejections.invalidTime,
          Number.isFinite(at)
            ? `started_at ${event.started_at} is ${at < EARLIEST ? 'before 2000' : 'more than a day ahead'}`
            : `started_at "${event.started_at}" is not an ISO 8601 time with a zone, such as 2027-01-15T12:00:00Z`,
        ),
      };
    // Outbound: the number called or messaged; inbound: the account's own number that received it.
    const digits = event.to.startsWith('+') ? event.to.slice(1) : event.to;
    const country = countryOfNumber(digits);
    if (!country)
      return {
        outcome: rejected(
          id,
          UsageRejections.invalidNumber,
          `to "${event.to}" is not a phone number in E.164 (country code first, e.g. +14155550123)`,
        ),
      };
    const product = event.product as UsageProduct;
    const direction = event.direction as UsageDirection;
    const match = book.find({
      product,
      direction,
      number: digits,
      numberType: numberType as PricedNumberType,
      at: new Date(at),
    });
    if (!match)
      return {
        outcome: rejected(
          id,
          UsageRejections.noPrice,
          `no ${product} ${direction} price for ${country} (+${digits}) at ${new Date(at).toISOString()}`,
        ),
      };
    if (match.tariff.rate.currency !== account.currency)
      return {
        outcome: rejected(
          id,
          UsageRejections.noPrice,
          `prices are in ${match.tariff.rate.currency} and the account pays in ${account.currency}`,
        ),
      };
    const rated = rate(product, match.tariff, BigInt(event.quantity));
    return {
      draft: {
        eventId: id,
        mainAccountId: account.mainAccountId,
        subaccountId: account.subaccountId,
        timezone: account.timezone,
        currency: account.currency,
        product,
        direction,
        from: event.from,
        to: event.to,
        numberType: numberType as PricedNumberType,
        countryIso: match.countryIso,
        prefix: match.prefix,
        quantity: BigInt(event.quantity),
        billedQuantity: rated.billedQuantity,
        rateMicros: match.tariff.rate.micros,
        amountMicros: rated.amount.micros,
        startedAt: new Date(at).toISOString(),
      },
    };
  }
}

/** One `charge` entry per main account and subaccount of the batch: the negative sum of its records (none for 0). */
function ledgerEntries(engineId: string, batchId: string, charged: readonly UsageRecordDraft[]) {
  const groups = new Map<string, { draft: UsageRecordDraft; micros: bigint; events: number }>();
  for (const draft of charged) {
    const key = `${draft.mainAccountId}|${draft.subaccountId ?? ''}`;
    const group = groups.get(key);
    if (group) {
      group.micros += draft.amountMicros;
      group.events++;
    } else groups.set(key, { draft, micros: draft.amountMicros, events: 1 });
  }
  const entries: LedgerEntryDraft[] = [];
  for (const { draft, micros, events } of groups.values()) {
    if (micros === 0n) continue;
    entries.push({
      accountId: draft.mainAccountId,
      subaccountId: draft.subaccountId,
      kind: 'charge',
      amount: money(-micros, draft.currency),
      idempotencyKey: `usage:${batchId}:${draft.subaccountId ?? 'main'}`,
      causedBy: `engine:${engineId}`,
      reference: batchId,
      description: `Usage: ${events} event${events === 1 ? '' : 's'}`,
    });
  }
  return entries;
}

/** The batch's additions to usage_daily, in key order. */
function dailyIncrements(charged: readonly UsageRecordDraft[], days: Map<string, string>): DailyIncrement[] {
  const rows = new Map<string, DailyIncrement>();
  for (const draft of charged) {
    const day = days.get(draft.eventId) as string;
    const key = `${draft.mainAccountId}|${day}|${draft.product}|${draft.direction}|${draft.subaccountId ?? ''}`;
    const row = rows.get(key);
    if (row) {
      row.events++;
      row.quantity += draft.quantity;
      row.amountMicros += draft.amountMicros;
    } else
      rows.set(key, {
        accountId: draft.mainAccountId,
        subaccountId: draft.subaccountId,
        day,
        product: draft.product,
        direction: draft.direction,
        events: 1,
        quantity: draft.quantity,
        amountMicros: draft.amountMicros,
      });
  }
  return [...rows.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
}
