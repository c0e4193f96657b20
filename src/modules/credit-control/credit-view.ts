import type { Clock } from '../../lib/clock.js';
import { formatMoney } from '../../lib/money.js';
import { localDay } from '../billing/usage-summary.js';
import { CreditErrors, type SessionRefusalCode } from './errors.js';
import type { CreditStore, LimitsRow, LockedAccount } from './store.js';

export type RoomReason = typeof CreditErrors.outOfCredit | typeof CreditErrors.spendCapReached;

/** The most a new hold or charge may take, and why no more. */
export interface Room {
  micros: bigint;
  reason: RoomReason;
}

/** A session refused for a reason other than credit: the account's status or its limits. */
export interface LimitRefusal {
  allowed: false;
  status: 403;
  error: SessionRefusalCode;
  reason: string;
}

/** The operator's defaults, for accounts without limits of their own. */
export interface LimitDefaults {
  maxSessions: number;
  maxDestinationRateMicros: bigint | null;
}

/** The limits in force for an account or subaccount. */
export interface EffectiveLimits {
  maxSessions: number;
  maxDestinationRateMicros: bigint | null;
  dailySpendCapMicros: bigint | null;
  monthlySpendCapMicros: bigint | null;
}

/**
 * The limits in force: a subaccount's own (its session limit falling back to its main account's),
 * else the main account's staff override, else the operator's defaults. Caps are subaccounts' only.
 */
export function effectiveLimits(
  defaults: LimitDefaults,
  account: LimitsRow | undefined,
  subaccount: LimitsRow | undefined,
): EffectiveLimits {
  if (subaccount)
    return {
      maxSessions: subaccount.max_sessions ?? account?.max_sessions ?? defaults.maxSessions,
      maxDestinationRateMicros: subaccount.max_destination_rate_micros,
      dailySpendCapMicros: subaccount.daily_spend_cap_micros,
      monthlySpendCapMicros: subaccount.monthly_spend_cap_micros,
    };
  return {
    maxSessions: account?.max_sessions ?? defaults.maxSessions,
    maxDestinationRateMicros: account
      ? account.max_destination_rate_micros
      : defaults.maxDestinationRateMicros,
    dailySpendCapMicros: null,
    monthlySpendCapMicros: null,
  };
}

/** The first days of the spend caps' periods now, in the account's time zone: today, and this month's first. */
export function spendPeriods(now: Date, timeZone: string): { day: string; month: string } {
  const today = localDay(now, timeZone);
  return { day: today, month: `${today.slice(0, 8)}01` };
}

/** What a capped subaccount may still spend in each of its periods: cap − spent − held (null: no cap). */
interface CapsLeft {
  day: bigint | null;
  month: bigint | null;
}

interface SubaccountFacts {
  authId: string;
  live: boolean;
}

/** What to read besides the accounts and their limits. */
export interface ViewScope {
  /** Lock the main accounts' rows (every decision that holds or spends). */
  lock: boolean;
  /** Count open sessions: needed to open sessions. */
  sessions: boolean;
}

/**
 * What credit decisions know of some main accounts (and subaccounts of theirs), read once, kept up
 * to date as decisions are taken against it: free credit (balance − owed − held), what a capped
 * subaccount's caps leave, open sessions against the limits. The one place of these rules: a
 * single decision reads a view of its account, a group of decisions one view of all their accounts,
 * and each decision sees what the earlier ones of the group held, released and charged.
 */
export class CreditView {
  private constructor(
    private readonly accounts: Map<string, LockedAccount & { owedMicros: bigint }>,
    private readonly limitRows: Map<string, LimitsRow>,
    private readonly subaccounts: Map<string, SubaccountFacts>,
    /** Open sessions by main account id and by subaccount id (counted when the scope asks). */
    private readonly open: Map<string, number>,
    private readonly caps: Map<string, CapsLeft>,
    private readonly defaults: LimitDefaults,
  ) {}

  /**
   * Reads (and with `scope.lock`, locks in id order) the main accounts, and what decisions for these
   * subaccounts (subaccount id → its main account's id) need.
   */
  static async load(
    store: CreditStore,
    clock: Clock,
    defaults: LimitDefaults,
    accountIds: Iterable<string>,
    subaccountsOf: ReadonlyMap<string, string>,
    scope: ViewScope,
  ): Promise<CreditView> {
    const subs = [...subaccountsOf.keys()];
    const facts = await store.creditFacts([...new Set(accountIds)], subs, {
      lock: scope.lock,
      counts: scope.sessions,
    });
    const accounts = new Map(facts.accounts.map((account) => [account.id, account]));
    const limitRows = facts.limits;
    const subaccounts = new Map(facts.subaccounts.map(({ id, ...sub }) => [id, sub]));
    const open = new Map<string, number>();
    for (const row of facts.open) {
      open.set(row.accountId, (open.get(row.accountId) ?? 0) + row.open);
      if (row.subaccountId) open.set(row.subaccountId, (open.get(row.subaccountId) ?? 0) + row.open);
    }
    const caps = new Map<string, CapsLeft>();
    for (const subaccountId of subs) {
      const limits = limitRows.get(subaccountId);
      const account = accounts.get(subaccountsOf.get(subaccountId) as string);
      if (!limits || !account) continue;
      if (limits.daily_spend_cap_micros === null && limits.monthly_spend_cap_micros === null) continue;
      const periods = spendPeriods(clock.now(), account.timezone);
      const [day, month, held] = await Promise.all([
        store.spentSince(subaccountId, periods.day),
        store.spentSince(subaccountId, periods.month),
        store.heldBySubaccount(subaccountId),
      ]);
      const left = (cap: bigint | null, spent: bigint) => (cap === null ? null : BigInt(cap) - spent - held);
      caps.set(subaccountId, {
        day: left(limits.daily_spend_cap_micros, day),
        month: left(limits.monthly_spend_cap_micros, month),
      });
    }
    return new CreditView(accounts, limitRows, subaccounts, open, caps, defaults);
  }

  /** A main account of the view (its balance and holds as the decisions so far left them). */
  account(accountId: string): LockedAccount & { owedMicros: bigint } {
    const account = this.accounts.get(accountId);
    if (!account) throw new Error(`Account ${accountId} is not in this credit view`);
    return account;
  }

  /** The limits in force for the account, or for its subaccount. */
  limits(accountId: string, subaccountId: string | null): EffectiveLimits {
    return effectiveLimits(
      this.defaults,
      this.limitRows.get(accountId),
      subaccountId ? this.limitRows.get(subaccountId) : undefined,
    );
  }

  /** The most a new hold or charge may take: the free credit, and for a capped subaccount what its caps leave. */
  room(accountId: string, subaccountId: string | null): Room {
    const account = this.account(accountId);
    let room: Room = {
      micros: account.balanceMicros - account.owedMicros - account.heldMicros,
      reason: CreditErrors.outOfCredit,
    };
    const caps = subaccountId ? this.caps.get(subaccountId) : undefined;
    for (const left of [caps?.day ?? null, caps?.month ?? null])
      if (left !== null && left < room.micros) room = { micros: left, reason: CreditErrors.spendCapReached };
    return room;
  }

  /** Why the account (or subaccount) may not open a session, other than credit: its status, its limits. */
  refusal(accountId: string, subaccountId: string | null, rateMicros: bigint): LimitRefusal | null {
    const refuse = (error: SessionRefusalCode, reason: string): LimitRefusal => ({
      allowed: false,
      status: 403,
      error,
      reason,
    });
    const account = this.account(accountId);
    if (account.status !== 'active')
      return refuse(
        CreditErrors.accountNotActive,
        `The account ${account.authId} is ${account.status.replaceAll('_', ' ')}: it may not start calls or messages.`,
      );
    if (subaccountId) {
      const sub = this.subaccounts.get(subaccountId);
      if (!sub?.live)
        return refuse(CreditErrors.accountNotActive, `The subaccount ${sub?.authId ?? ''} is disabled.`);
    }
    const accountLimits = this.limits(accountId, null);
    const limits = subaccountId ? this.limits(accountId, subaccountId) : accountLimits;
    const open = this.open.get(accountId) ?? 0;
    if (open >= accountLimits.maxSessions)
      return refuse(
        CreditErrors.tooManySessions,
        `The account has ${open} sessions open, its limit: end one first (staff can raise the limit).`,
      );
    const subOpen = subaccountId ? (this.open.get(subaccountId) ?? 0) : 0;
    if (subaccountId && subOpen >= limits.maxSessions)
      return refuse(
        CreditErrors.tooManySessions,
        `The subaccount has ${subOpen} sessions open, the limit its main account set.`,
      );
    for (const cap of [accountLimits.maxDestinationRateMicros, limits.maxDestinationRateMicros])
      if (cap !== null && rateMicros > cap)
        return refuse(
          CreditErrors.destinationRateAboveLimit,
          `The destination costs ${formatMoney(rateMicros)} ${account.currency}, above the highest rate allowed (${formatMoney(cap)}).`,
        );
    return null;
  }

  /** A hold grew (or shrank, negative) by `micros`. */
  held(accountId: string, subaccountId: string | null, micros: bigint): void {
    this.account(accountId).heldMicros += micros;
    this.#spend(subaccountId, micros);
  }

  /** A session was opened. */
  opened(accountId: string, subaccountId: string | null): void {
    this.#count(accountId, 1);
    if (subaccountId) this.#count(subaccountId, 1);
  }

  /** A session ended: its hold released and `chargedMicros` charged. */
  ended(accountId: string, subaccountId: string | null, releasedMicros: bigint, chargedMicros: bigint): void {
    const account = this.account(accountId);
    account.heldMicros -= releasedMicros;
    account.balanceMicros -= chargedMicros;
    this.#spend(subaccountId, chargedMicros - releasedMicros);
    this.#count(accountId, -1);
    if (subaccountId) this.#count(subaccountId, -1);
  }

  #spend(subaccountId: string | null, micros: bigint) {
    const caps = subaccountId ? this.caps.get(subaccountId) : undefined;
    if (!caps) return;
    if (caps.day !== null) caps.day -= micros;
    if (caps.month !== null) caps.month -= micros;
  }

  #count(id: string, delta: number) {
    if (this.open.has(id) || delta > 0) this.open.set(id, (this.open.get(id) ?? 0) + delta);
  }
}
