import { type Db, inTransaction } from '../../db/database.js';
import type { PricedNumberType, UsageDirection, UsageProduct } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { GroupCommit } from '../../lib/group-commit.js';
import { newId } from '../../lib/ids.js';
import { formatMoney, money } from '../../lib/money.js';
import { UsageRejections } from './errors.js';
import type { Ledger, LedgerEntryDraft } from './ledger.js';
import { countryOfNumber, type Prices, SIP_COUNTRY, sipCallCountry } from './price-book.js';
import { rate, type Tariff } from './rating.js';
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

const ACCOUNTS_REMEMBERED = 100_000;
/** Charging transactions one instance runs at once; further requests wait and are charged together. */
const CONCURRENT_TRANSACTIONS = 2;
/** A transaction takes waiting requests up to about this many events. */
const EVENTS_PER_TRANSACTION = 5000;

interface Waiting {
  engineId: string;
  drafts: UsageRecordDraft[];
  resolve: (claimed: Set<string>) => void;
  reject: (error: unknown) => void;
}

/** Usage records claimed in a transaction and not charged yet (`claimInTransaction`, then `postClaim`). */
export interface UsageClaim {
  engineId: string;
  batchId: string;
  /** The drafts whose ids were new: their records are written. */
  charged: UsageRecordDraft[];
  /** Each claimed event's day in its account's time zone, by "engine|event". */
  days: Map<string, string>;
}

/** An event rated and not yet charged, with the tariff it was rated at. */
export interface RatedEvent {
  draft: UsageRecordDraft;
  tariff: Tariff;
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
  readonly #charging = new GroupCommit<Waiting>({
    concurrent: CONCURRENT_TRANSACTIONS,
    capacity: EVENTS_PER_TRANSACTION,
    weight: (request) => request.drafts.length,
    run: async (group) => {
      const claimed = await this.chargeTogether(group);
      for (const [i, request] of group.entries()) request.resolve(claimed[i] as Set<string>);
    },
  });
  /** Auth id → the account's unchanging facts (never an unknown id: the account may be created later). */
  readonly #accounts = new Map<string, UsageAccount>();

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
    const accounts = await this.accountsOf([...authIds]);
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
      const result = this.rateOne(engineId, event, accounts, book, now);
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

    const claimed = await this.claimAndCharge(
      engineId,
      accepted.map((item) => item.draft),
    );
    for (const { index, draft } of accepted) {
      outcomes[index] = claimed.has(draft.eventId)
        ? { id: draft.eventId, status: 'charged', amount: formatMoney(draft.amountMicros), reason: null }
        : duplicate(draft.eventId, SEEN_BEFORE);
    }
    return outcomes;
  }

  /**
   * The accounts with these auth ids, from this instance's memory when it has met them: with no
   * query before the transaction, requests that arrive while one runs wait for the next together.
   */
  private async accountsOf(authIds: string[]): Promise<Map<string, UsageAccount>> {
    const found = new Map<string, UsageAccount>();
    const unknown: string[] = [];
    for (const authId of authIds) {
      const account = this.#accounts.get(authId);
      if (account) found.set(authId, account);
      else unknown.push(authId);
    }
    if (unknown.length === 0) return found;
    for (const [authId, account] of await this.store.accounts(unknown)) {
      if (this.#accounts.size >= ACCOUNTS_REMEMBERED) this.#accounts.clear();
      this.#accounts.set(authId, account);
      found.set(authId, account);
    }
    return found;
  }

  /**
   * Group commit: requests that arrive while this instance's charging transactions are busy wait
   * and go together in the next one, so a hot account's balance row is locked once for many
   * requests instead of once each. Answers the event ids this request claimed (charged).
   */
  private claimAndCharge(engineId: string, drafts: UsageRecordDraft[]): Promise<Set<string>> {
    return new Promise((resolve, reject) => this.#charging.add({ engineId, drafts, resolve, reject }));
  }

  /**
   * One transaction for the requests of a group: per engine a batch id; claims in one statement
   * (an id another request of the group claims first is that request's, so this one's duplicate);
   * one charge per engine, main account and subaccount; the daily rollups in one statement.
   */
  private async chargeTogether(group: readonly Waiting[]): Promise<Set<string>[]> {
    const batchOf = new Map<string, string>();
    /** Per engine, the event ids the group takes (the first request to carry one takes it). */
    const taken = new Map<string, Set<string>>();
    const mine = group.map(() => new Set<string>());
    const drafts: UsageRecordDraft[] = [];
    group.forEach((request, i) => {
      let batchId = batchOf.get(request.engineId);
      let engineTaken = taken.get(request.engineId);
      if (!batchId || !engineTaken) {
        batchId = newId();
        engineTaken = new Set();
        batchOf.set(request.engineId, batchId);
        taken.set(request.engineId, engineTaken);
      }
      for (const draft of request.drafts) {
        if (engineTaken.has(draft.eventId)) continue;
        engineTaken.add(draft.eventId);
        (mine[i] as Set<string>).add(draft.eventId);
        draft.batchId = batchId;
        drafts.push(draft);
      }
    });
    drafts.sort((a, b) =>
      a.engineId !== b.engineId ? (a.engineId < b.engineId ? -1 : 1) : a.eventId < b.eventId ? -1 : 1,
    );
    const claimed = await inTransaction(this.db, async () => {
      const days = await this.store.claim(drafts);
      const charged = drafts.filter((draft) => days.has(`${draft.engineId}|${draft.eventId}`));
      const entries: LedgerEntryDraft[] = [];
      for (const [engineId, batchId] of batchOf)
        entries.push(
          ...ledgerEntries(
            engineId,
            batchId,
            batchOf.size === 1 ? charged : charged.filter((draft) => draft.engineId === engineId),
          ),
        );
      await this.ledger.post(entries);
      await this.store.addDaily(dailyIncrements(charged, days));
      return days;
    });
    return group.map((request, i) => {
      const won = new Set<string>();
      for (const eventId of mine[i] as Set<string>)
        if (claimed.has(`${request.engineId}|${eventId}`)) won.add(eventId);
      return won;
    });
  }

  /**
   * Rates one event as `charge` would, charging nothing: its draft and the tariff in force, or the
   * outcome that rejects it (credit control opens sessions with this).
   */
  async rateEvent(engineId: string, event: UsageEventInput): Promise<RatedEvent | { outcome: UsageOutcome }> {
    const book = await this.prices.current();
    const accounts = AUTH_ID.test(event.account) ? await this.accountsOf([event.account]) : new Map();
    return this.rateOne(engineId, event, accounts, book, this.clock.now().getTime());
  }

  /**
   * Charges rated events inside the caller's transaction: claims them, posts their charges and adds
   * to the daily rollups. Answers the ids claimed (an id the engine sent before charges nothing).
   */
  async chargeInTransaction(engineId: string, drafts: UsageRecordDraft[]): Promise<Set<string>> {
    return this.postClaim(await this.claimInTransaction(engineId, drafts));
  }

  /**
   * The first half of `chargeInTransaction`: writes the usage records of the events whose ids the
   * engine has not sent before, charging nothing yet; `postClaim` charges them in the same
   * transaction. Credit control claims before it locks the accounts, so their rows are held for less.
   */
  async claimInTransaction(engineId: string, drafts: UsageRecordDraft[]): Promise<UsageClaim> {
    const batchId = newId();
    for (const draft of drafts) draft.batchId = batchId;
    const days = await this.store.claim(drafts);
    return {
      engineId,
      batchId,
      charged: drafts.filter((draft) => days.has(`${draft.engineId}|${draft.eventId}`)),
      days,
    };
  }

  /** The second half: posts a claim's charges and adds them to the daily rollups. Answers the ids it charged. */
  async postClaim({ engineId, batchId, charged, days }: UsageClaim): Promise<Set<string>> {
    await this.ledger.post(ledgerEntries(engineId, batchId, charged));
    await this.store.addDaily(dailyIncrements(charged, days));
    return new Set(charged.map((draft) => draft.eventId));
  }

  private rateOne(
    engineId: string,
    event: UsageEventInput,
    accounts: Map<string, UsageAccount>,
    book: Awaited<ReturnType<Prices['current']>>,
    now: number,
  ): RatedEvent | { outcome: UsageOutcome } {
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
    // Outbound: the number called or messaged (or, for a call of number type ip, a SIP address);
    // inbound: the account's own number that received it.
    const product = event.product as UsageProduct;
    const direction = event.direction as UsageDirection;
    const digits = event.to.startsWith('+') ? event.to.slice(1) : event.to;
    const country =
      sipCallCountry({ number: digits, numberType: numberType as PricedNumberType, product }) ??
      countryOfNumber(digits);
    if (!country)
      return {
        outcome: rejected(
          id,
          UsageRejections.invalidNumber,
          `to "${event.to}" is not a phone number in E.164 (country code first, e.g. +14155550123)${numberType === 'ip' ? ' or a SIP address (sip:user@host)' : ''}`,
        ),
      };
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
          `no ${product} ${direction} price for ${country} (${country === SIP_COUNTRY ? digits : `+${digits}`}) at ${new Date(at).toISOString()}`,
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
      tariff: match.tariff,
      draft: {
        engineId,
        batchId: '',
        eventId: id,
        mainAccountId: account.mainAccountId,
        subaccountId: account.subaccountId,
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
    const day = days.get(`${draft.engineId}|${draft.eventId}`) as string;
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
