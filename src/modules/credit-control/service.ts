import { type Db, inTransaction } from '../../db/database.js';
import type { Role, UsageProduct } from '../../db/schema.js';
import type { Jobs } from '../../jobs/runner.js';
import type { Clock } from '../../lib/clock.js';
import { assertThat, NotFound } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { displayMoney, formatMoney, money, parseMoney } from '../../lib/money.js';
import { messages } from '../../notify/messages.js';
import type { Outbox } from '../../notify/outbox.js';
import type { Actor, AuditLog } from '../audit/audit.js';
import { rate } from '../billing/rating.js';
import type { UsageCharging, UsageEventInput } from '../billing/usage.js';
import type { UsageRecordDraft } from '../billing/usage-store.js';
import { localDay } from '../billing/usage-summary.js';
import { membersWithRoles } from '../team/recipients.js';
import { CreditErrors, CreditRefusals, PaymentRequired, type SessionRefusalCode } from './errors.js';
import { affordable, costOf, firstCallCover, MAX_CALL_SECONDS, MAX_MESSAGE_UNITS } from './holds.js';
import { type CreditSession, CreditStore, type LimitsRow, type LockedAccount } from './store.js';

export const DISCONNECT_JOB = 'credit.disconnect';
/** A call's bound grew while it runs (a credit arrived, other calls' holds were released): its engine is told. */
export const BOUND_JOB = 'credit.raise-bound';
/** A message session's hold lasts this long without an end (the Message API's default expiry). */
const MESSAGE_SESSION_SECONDS = 3 * 3600;
/** Who hears of a subaccount's spend cap: the main account's Owner and Admins, and its billing members. */
const CAP_ALERT_ROLES: readonly Role[] = ['owner', 'admin', 'financial_analyst'];

export interface CreditSettings {
  /** Seconds of a call each hold covers. */
  intervalSeconds: number;
  /** Default concurrent sessions per account. */
  maxSessions: number;
  /** Default highest destination rate; null for none. */
  maxDestinationRateMicros: bigint | null;
}

/** An engine's request to open a session (POST /api/engine/sessions). */
export interface SessionOpening {
  id: string;
  account: string;
  product: string;
  direction: string;
  from: string;
  to: string;
  number_type?: string;
  /** Messages: the segments the engine means to send (default 1). */
  units?: number;
}

export type SessionAnswer =
  | {
      allowed: true;
      session: string;
      max_seconds?: number;
      max_units?: number;
      expires_at: string;
    }
  | { allowed: false; status: 402 | 403; error: SessionRefusalCode; reason: string };

export interface SessionEnding {
  seconds?: number;
  units?: number;
  ended_at?: string;
}

export interface EndAnswer {
  session: string;
  status: 'ended' | 'expired';
  quantity: number;
  amount: string;
  flagged: boolean;
}

/** Why a disconnect is asked for, as the webhook names it. */
export type DisconnectReason =
  | typeof CreditErrors.outOfCredit
  | typeof CreditErrors.spendCapReached
  | 'account_suspended'
  | 'account_closed';

export interface DisconnectRequest {
  engineId: string;
  account: string;
  reason: string;
  sessions: string[];
}

/** The payload of BOUND_JOB: the engine's session whose call may now run longer. */
export interface BoundRaised {
  engineId: string;
  session: string;
}

/** The limits in force for an account or subaccount, with where each came from. */
export interface EffectiveLimits {
  maxSessions: number;
  maxDestinationRateMicros: bigint | null;
  dailySpendCapMicros: bigint | null;
  monthlySpendCapMicros: bigint | null;
}

/** Limits as people set them: money as amounts in units ("0.05"), null for none (or the default). */
export interface LimitsInput {
  maxSessions: number | null;
  maxDestinationRate: string | null;
  dailySpendCap?: string | null;
  monthlySpendCap?: string | null;
}

export interface LimitsOverview {
  currency: string;
  account: { openSessions: number; maxSessions: number; maxDestinationRateMicros: bigint | null };
  subaccounts: {
    authId: string;
    name: string;
    openSessions: number;
    maxSessions: number;
    maxDestinationRateMicros: bigint | null;
    dailySpendCapMicros: bigint | null;
    monthlySpendCapMicros: bigint | null;
    spentTodayMicros: bigint;
    spentThisMonthMicros: bigint;
  }[];
}

/** An account's credit as scheduled work and the console read it. */
export interface CreditState {
  currency: string;
  balanceMicros: bigint;
  owedMicros: bigint;
  heldMicros: bigint;
  /** balance − owed − held; the most a new session or billable request may use. */
  freeMicros: bigint;
  /** Nothing billable may start: no free credit (or, for a subaccount, its spend cap reached). */
  outOfCredit: boolean;
  reason: typeof CreditErrors.outOfCredit | typeof CreditErrors.spendCapReached | null;
}

function sessionsLimit(value: number | null): number | null {
  assertThat(value === null || (Number.isInteger(value) && value >= 0 && value <= 1_000_000), () =>
    CreditRefusals.invalidLimit(
      'maxSessions',
      'must be a whole number from 0 to 1,000,000, or empty for the default',
    ),
  );
  return value;
}

function amountLimit(field: string, value: string | null): bigint | null {
  if (value === null || value.trim() === '') return null;
  const micros = parseMoney(value.trim());
  assertThat(micros !== null, () =>
    CreditRefusals.invalidLimit(
      field,
      'must be an amount such as 0.05 or 25.00 (at most 6 decimals), or empty for none',
    ),
  );
  return micros;
}

const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d{1,9})?)?(?:Z|[+-]\d\d:?\d\d)$/;
const addSeconds = (at: Date, seconds: bigint | number) => new Date(at.getTime() + Number(seconds) * 1000);
const tariffOf = (session: CreditSession) => ({
  rate: money(BigInt(session.rate_micros), session.currency),
  connectFee: money(BigInt(session.connect_fee_micros), session.currency),
  initialIncrement: session.initial_increment,
  subsequentIncrement: session.subsequent_increment,
});

/**
 * Real-time credit control: engines open a session before a call or message and Switchboard holds
 * part of the account's free credit for it (balance − owed rentals − other holds), one interval of
 * a call at a time, renewed as the call runs; the engine ends it with what was used, which is rated
 * and charged as usage, and the hold is released. Every decision locks the main account's row, so
 * concurrent sessions never hold more than the free credit. A call whose next interval cannot be
 * held runs until its cover ends and is then disconnected: the engine is told (a signed webhook)
 * and bounded anyway by the `max_seconds` it was answered. Limits beyond credit (concurrent
 * sessions, the highest destination rate, a subaccount's spend caps) are checked in the same place.
 */
export class CreditControl {
  readonly store: CreditStore;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly usage: Pick<UsageCharging, 'rateEvent' | 'chargeInTransaction'>,
    private readonly jobs: Pick<Jobs, 'enqueue'>,
    private readonly outbox: Pick<Outbox, 'enqueueMany'>,
    private readonly audit: AuditLog,
    private readonly settings: CreditSettings,
  ) {
    this.store = new CreditStore(db);
  }

  /** Opens a session (idempotent on the engine's id): the hold and the most it may use, or why not. */
  async open(engineId: string, opening: SessionOpening): Promise<SessionAnswer> {
    const earlier = await this.store.session(engineId, opening.id);
    if (earlier) return this.#answerOf(earlier);
    const units = opening.units ?? 1;
    const now = this.clock.now();
    const rated = await this.usage.rateEvent(engineId, {
      ...opening,
      quantity: 0,
      started_at: now.toISOString(),
    } satisfies UsageEventInput);
    if ('outcome' in rated) {
      const reason = rated.outcome.reason ?? 'refused';
      if (reason.startsWith('unknown_account'))
        throw NotFound(CreditErrors.unknownAccount, `No account has the auth id "${opening.account}".`);
      throw CreditRefusals.invalidSession(`The session cannot be rated: ${reason}.`, 'to');
    }
    const { draft, tariff } = rated;
    const product = draft.product;
    if (product !== 'voice')
      assertThat(
        Number.isInteger(units) && units >= 1 && BigInt(units) <= MAX_MESSAGE_UNITS,
        CreditRefusals.invalidSession(
          `units must be a whole number from 1 to ${MAX_MESSAGE_UNITS}.`,
          'units',
        ),
      );
    return inTransaction(this.db, async () => {
      const account = await this.store.lockAccount(draft.mainAccountId);
      // A concurrent open of the same id waited for the lock: answer what it decided.
      const raced = await this.store.session(engineId, opening.id);
      if (raced) return this.#answerOf(raced);
      const refusal = await this.#refusal(account, draft.subaccountId, draft.rateMicros);
      if (refusal) return refusal;
      const room = await this.#room(account, draft.subaccountId);
      let cover = product === 'voice' ? firstCallCover(tariff, this.settings.intervalSeconds) : BigInt(units);
      let hold = costOf(product, tariff, cover);
      // A call the free credit buys less than an interval of still goes, holding all it buys (at
      // least the connect fee and first increment), and is disconnected when that runs out.
      let short = false;
      if (product === 'voice' && hold > room.micros && room.micros > 0n) {
        const bought = affordable(product, tariff, room.micros, cover);
        if (bought > 0n) {
          cover = bought;
          hold = costOf(product, tariff, cover);
          short = true;
        }
      }
      if (room.micros <= 0n || hold > room.micros)
        return outOfCredit(room.reason, account, room.micros, hold);
      const max = affordable(
        product,
        tariff,
        room.micros,
        product === 'voice' ? MAX_CALL_SECONDS : MAX_MESSAGE_UNITS,
      );
      const session: CreditSession = {
        id: newId(),
        engine_id: engineId,
        session_id: opening.id,
        account_id: account.id,
        subaccount_id: draft.subaccountId,
        product,
        direction: draft.direction,
        from_number: draft.from,
        to_number: draft.to,
        number_type: draft.numberType,
        country_iso: draft.countryIso,
        prefix: draft.prefix,
        currency: account.currency,
        rate_micros: tariff.rate.micros,
        connect_fee_micros: tariff.connectFee.micros,
        initial_increment: tariff.initialIncrement,
        subsequent_increment: tariff.subsequentIncrement,
        covered: cover,
        held_micros: hold,
        max_quantity: max,
        status: 'open',
        opened_at: now,
        expires_at: this.#expiry(product, now, max),
        renewal_short: short,
        disconnect_reason: null,
        disconnect_requested_at: null,
        ended_at: null,
        quantity: null,
        charged_micros: null,
        flagged: false,
      };
      await this.store.insertSession(session);
      await this.store.addHeld(account.id, hold);
      return this.#answerOf(session);
    });
  }

  /** The engine reports a call's seconds so far: the hold moves to cover the next interval, and a new maximum is answered. */
  async extend(engineId: string, sessionId: string, usedSeconds: number): Promise<SessionAnswer> {
    const found = await this.store.session(engineId, sessionId);
    assertThat(found, () => CreditRefusals.sessionNotFound(sessionId));
    assertThat(
      found.product === 'voice',
      CreditRefusals.invalidSession(
        'Only calls are extended: a message session is ended with its units.',
        'id',
      ),
    );
    return inTransaction(this.db, async () => {
      const account = await this.store.lockAccount(found.account_id);
      const session = (await this.store.sessionById(found.id, true)) as CreditSession;
      if (session.status !== 'open' || session.disconnect_requested_at) return this.#answerOf(session);
      const moved = await this.#moveCover(
        account,
        session,
        BigInt(usedSeconds) + BigInt(this.settings.intervalSeconds),
      );
      return this.#answerOf(moved);
    });
  }

  /** The engine ends a session with what it used: rated at the price in force when it opened, charged as usage, the hold released. */
  async end(engineId: string, sessionId: string, ending: SessionEnding): Promise<EndAnswer> {
    const found = await this.store.session(engineId, sessionId);
    assertThat(found, () => CreditRefusals.sessionNotFound(sessionId));
    const field = found.product === 'voice' ? 'seconds' : 'units';
    const quantity = ending[field];
    if (found.status === 'open') {
      assertThat(
        quantity !== undefined,
        CreditRefusals.invalidSession(
          `Send ${field}: what the ${found.product === 'voice' ? 'call' : 'message'} used.`,
          field,
        ),
      );
      if (ending.ended_at !== undefined)
        assertThat(
          ISO_TIME.test(ending.ended_at) && Number.isFinite(Date.parse(ending.ended_at)),
          CreditRefusals.invalidSession(
            `ended_at "${ending.ended_at}" is not an ISO 8601 time with a zone, such as 2027-01-15T12:00:00Z.`,
            'ended_at',
          ),
        );
    }
    const endedAt = ending.ended_at ? new Date(ending.ended_at) : this.clock.now();
    return this.#close(found.id, BigInt(quantity ?? 0), endedAt, 'ended');
  }

  /** Ends sessions past their expiry at their held amount, flagged (the expiry job). Answers how many. */
  async expireDue(): Promise<number> {
    const now = this.clock.now();
    let expired = 0;
    for (;;) {
      const due = await this.store.expiredBefore(now, 100);
      for (const session of due) {
        const answer = await this.#close(session.id, BigInt(session.covered), now, 'expired');
        if (answer.status === 'expired') expired++;
      }
      if (due.length < 100) return expired;
    }
  }

  /**
   * Holds the next interval of every call whose cover ends within half an interval, oldest first
   * (the renewal job); a call that cannot be renewed and whose cover has run out is disconnected.
   */
  async renewHolds(): Promise<number> {
    const now = this.clock.now();
    const lead = this.settings.intervalSeconds / 2;
    const due = await this.store.coverEndingBefore(addSeconds(now, lead), 500);
    for (const session of due) await this.#renew(session.id);
    return due.length;
  }

  /**
   * A credit arrived: the account's calls are renewed from it at once, so those whose renewal fell
   * short go on, and each call's bound grows with what the credit buys (its engine is told).
   */
  async renewAccount(accountId: string): Promise<void> {
    for (const session of await this.store.callsOf(accountId)) await this.#renew(session.id);
  }

  /** Tells the engines to end every open session of the account (a suspension, a closure). */
  async disconnectAccount(accountId: string, reason: DisconnectReason): Promise<void> {
    const open = await this.store.openOf(accountId);
    await this.#requestDisconnect(open, reason);
  }

  /**
   * Refuses (402) a billable request the free credit cannot pay for: renting a number. Run inside
   * the request's transaction, it locks the account so two requests cannot spend the same credit.
   */
  async assertMaySpend(
    accountId: string,
    subaccountId: string | null,
    micros: bigint,
    what: string,
  ): Promise<void> {
    await inTransaction(this.db, async () => {
      const account = await this.store.lockAccount(accountId);
      const room = await this.#room(account, subaccountId);
      if (room.micros > 0n && micros <= room.micros) return;
      const price = displayMoney(money(micros, account.currency));
      const free = displayMoney(money(room.micros > 0n ? room.micros : 0n, account.currency));
      throw PaymentRequired(
        room.reason,
        room.reason === CreditErrors.spendCapReached
          ? `This subaccount has reached its spend cap: ${what} costs ${price} and ${free} of the cap is left. The main account can raise the cap in Account > Subaccounts.`
          : `The account is out of credit: ${what} costs ${price} and ${free} is free to spend. Recharge in Billing > Payment Settings (or ask the account's Owner, an Admin or a Financial Analyst); numbers stay rented and rentals owed are charged first.`,
      );
    });
  }

  /**
   * Inside the caller's transaction: locks the main account and answers what a new hold may take
   * (its free credit, and for a capped subaccount what its caps leave). The Message API holds each
   * message's cost with it, so messages and engine sessions share one free credit.
   */
  async lockRoom(
    accountId: string,
    subaccountId: string | null,
  ): Promise<{
    account: LockedAccount;
    micros: bigint;
    reason: typeof CreditErrors.outOfCredit | typeof CreditErrors.spendCapReached;
  }> {
    const account = await this.store.lockAccount(accountId);
    return { account, ...(await this.#room(account, subaccountId)) };
  }

  /** `lockRoom` for several main accounts' own credit at once: one statement locks them all, in id order. */
  async lockRooms(
    accountIds: readonly string[],
  ): Promise<Map<string, { account: LockedAccount; micros: bigint }>> {
    const rooms = new Map<string, { account: LockedAccount; micros: bigint }>();
    for (const { owedMicros, ...account } of await this.store.lockAccountsWithOwed(accountIds))
      rooms.set(account.id, { account, micros: (await this.#room(account, null, owedMicros)).micros });
    return rooms;
  }

  /** The account's (or subaccount's) credit now: scheduled work holds while `outOfCredit`. */
  async state(accountId: string, subaccountId: string | null = null): Promise<CreditState> {
    return inTransaction(this.db, async () => {
      const account = await this.store.account(accountId, false);
      const owed = await this.store.owed(accountId);
      const room = await this.#room(account, subaccountId, owed);
      return {
        currency: account.currency,
        balanceMicros: account.balanceMicros,
        owedMicros: owed,
        heldMicros: account.heldMicros,
        freeMicros: account.balanceMicros - owed - account.heldMicros,
        outOfCredit: room.micros <= 0n,
        reason: room.micros <= 0n ? room.reason : null,
      };
    });
  }

  /** The engine sessions open for the account now, and the credit they hold (the staff console's account page). */
  async openSessions(accountId: string): Promise<{ count: number; heldMicros: bigint; currency: string }> {
    const [account, open] = await Promise.all([
      this.store.account(accountId, false),
      this.store.openCounts(accountId, null),
    ]);
    return { count: open.account, heldMicros: account.heldMicros, currency: account.currency };
  }

  /** The limits in force for an account (staff's override or the defaults) or a subaccount (its main account's settings). */
  async limits(accountId: string, subaccountId: string | null = null): Promise<EffectiveLimits> {
    const rows = await this.store.limits(subaccountId ? [accountId, subaccountId] : [accountId]);
    return this.#effective(rows.get(accountId), subaccountId ? rows.get(subaccountId) : undefined);
  }

  /** Saves an account's or subaccount's limits row as it is (tests and the two setters below). */
  async saveLimits(accountId: string, row: Omit<LimitsRow, 'account_id'>, updatedBy: string): Promise<void> {
    await this.store.saveLimits({ account_id: accountId, ...row, updated_by: updatedBy }, this.clock.now());
  }

  /** Staff override a main account's limits (null: the operator's default). Audited. */
  async setAccountLimits(actor: Actor & { staffId: string }, accountId: string, input: LimitsInput) {
    const maxSessions = sessionsLimit(input.maxSessions);
    const maxDestinationRateMicros = amountLimit('maxDestinationRate', input.maxDestinationRate);
    await inTransaction(this.db, async () => {
      const account = await this.store.mainAccount(accountId);
      assertThat(account, () => CreditRefusals.accountNotFound());
      await this.saveLimits(
        accountId,
        {
          max_sessions: maxSessions,
          max_destination_rate_micros: maxDestinationRateMicros,
          daily_spend_cap_micros: null,
          monthly_spend_cap_micros: null,
        },
        `staff:${actor.staffId}`,
      );
      await this.audit.record(actor, {
        action: 'credit.limits_changed',
        accountId,
        details: { maxSessions, maxDestinationRateMicros: maxDestinationRateMicros?.toString() ?? null },
      });
    });
    return this.overview(accountId);
  }

  /** The main account sets a subaccount's limits and spend caps (null: none of its own). Audited. */
  async setSubaccountLimits(actor: Actor, accountId: string, subaccountAuthId: string, input: LimitsInput) {
    const row = {
      max_sessions: sessionsLimit(input.maxSessions),
      max_destination_rate_micros: amountLimit('maxDestinationRate', input.maxDestinationRate),
      daily_spend_cap_micros: amountLimit('dailySpendCap', input.dailySpendCap ?? null),
      monthly_spend_cap_micros: amountLimit('monthlySpendCap', input.monthlySpendCap ?? null),
    };
    await inTransaction(this.db, async () => {
      const sub = await this.store.subaccountOf(accountId, subaccountAuthId);
      assertThat(sub, () => CreditRefusals.notASubaccount(subaccountAuthId));
      await this.saveLimits(sub.id, row, actor.userId ? `member:${actor.userId}` : 'system');
      await this.audit.record(actor, {
        action: 'credit.subaccount_limits_changed',
        accountId,
        details: {
          subaccount: subaccountAuthId,
          maxSessions: row.max_sessions,
          maxDestinationRateMicros: row.max_destination_rate_micros?.toString() ?? null,
          dailySpendCapMicros: row.daily_spend_cap_micros?.toString() ?? null,
          monthlySpendCapMicros: row.monthly_spend_cap_micros?.toString() ?? null,
        },
      });
    });
    return this.overview(accountId);
  }

  /** The account's limits and their use now, and each subaccount's: what Account > Limits shows. */
  async overview(accountId: string): Promise<LimitsOverview> {
    const account = await this.store.mainAccount(accountId);
    assertThat(account, () => CreditRefusals.accountNotFound());
    const subaccounts = await this.store.subaccountsWithUse(accountId);
    const rows = await this.store.limits([accountId, ...subaccounts.map((sub) => sub.id)]);
    const own = this.#effective(rows.get(accountId), undefined);
    const open = await this.store.openCounts(accountId, null);
    return {
      currency: account.currency,
      account: {
        openSessions: open.account,
        maxSessions: own.maxSessions,
        maxDestinationRateMicros: own.maxDestinationRateMicros,
      },
      subaccounts: await Promise.all(
        subaccounts.map(async (sub) => {
          const limits = this.#effective(rows.get(accountId), rows.get(sub.id));
          const spent = await this.spent(sub.id, account.timezone);
          return {
            authId: sub.authId,
            name: sub.name,
            openSessions: Number(sub.open),
            maxSessions: limits.maxSessions,
            maxDestinationRateMicros: limits.maxDestinationRateMicros,
            dailySpendCapMicros: limits.dailySpendCapMicros,
            monthlySpendCapMicros: limits.monthlySpendCapMicros,
            spentTodayMicros: spent.dayMicros,
            spentThisMonthMicros: spent.monthMicros,
          };
        }),
      ),
    };
  }

  /** What the subaccount spent today and this month, in its main account's time zone. */
  async spent(subaccountId: string, timeZone: string): Promise<{ dayMicros: bigint; monthMicros: bigint }> {
    const today = localDay(this.clock.now(), timeZone);
    const [dayMicros, monthMicros] = await Promise.all([
      this.store.spentSince(subaccountId, today),
      this.store.spentSince(subaccountId, `${today.slice(0, 8)}01`),
    ]);
    return { dayMicros, monthMicros };
  }

  /** The spend cap alerts (a job): each capped subaccount at 80% or 100% of a cap, once per period, by email. */
  async alertSpendCaps(): Promise<number> {
    let sent = 0;
    for (const sub of await this.store.cappedSubaccounts()) {
      const today = localDay(this.clock.now(), sub.timezone);
      const spent = await this.spent(sub.subaccountId, sub.timezone);
      const periods = [
        { period: `day:${today}`, label: 'daily' as const, cap: sub.dailyCap, spent: spent.dayMicros },
        {
          period: `month:${today.slice(0, 7)}`,
          label: 'monthly' as const,
          cap: sub.monthlyCap,
          spent: spent.monthMicros,
        },
      ];
      for (const { period, label, cap, spent: used } of periods) {
        if (cap === null) continue;
        const capMicros = BigInt(cap);
        const percent = used >= capMicros ? 100 : used * 100n >= capMicros * 80n ? 80 : null;
        if (percent === null) continue;
        const claimed = await inTransaction(this.db, async () => {
          if (!(await this.store.claimCapAlert(sub.subaccountId, period, percent))) return false;
          const recipients = await membersWithRoles(this.db, sub.accountId, CAP_ALERT_ROLES);
          const text = messages.spendCapAlert(
            sub.subaccountName,
            sub.subaccountAuthId,
            label,
            percent,
            displayMoney(money(used, sub.currency)),
            displayMoney(money(capMicros, sub.currency)),
          );
          await this.outbox.enqueueMany(
            recipients.map((r) => ({ channel: 'email' as const, to: r.email, ...text })),
          );
          return true;
        });
        if (claimed) sent++;
      }
    }
    return sent;
  }

  /** What a session's engine is told to end, signed and retried (the disconnect job's payload). */
  async #requestDisconnect(sessions: readonly CreditSession[], reason: DisconnectReason): Promise<void> {
    if (sessions.length === 0) return;
    await inTransaction(this.db, async () => {
      const marked = await this.store.markDisconnect(
        sessions.map((s) => s.id),
        reason,
        this.clock.now(),
      );
      const byEngine = new Map<string, string[]>();
      for (const row of marked)
        byEngine.set(row.engine_id, [...(byEngine.get(row.engine_id) ?? []), row.session_id]);
      const authId = (await this.store.account(sessions[0]?.account_id as string, false)).authId;
      for (const [engineId, ids] of byEngine)
        await this.jobs.enqueue(DISCONNECT_JOB, {
          engineId,
          account: authId,
          reason,
          sessions: ids,
        } satisfies DisconnectRequest);
    });
  }

  async #renew(id: string): Promise<void> {
    const now = this.clock.now();
    const disconnect = await inTransaction(this.db, async () => {
      const found = await this.store.sessionById(id);
      if (!found) return null;
      const account = await this.store.lockAccount(found.account_id);
      const session = (await this.store.sessionById(id, true)) as CreditSession;
      if (session.status !== 'open' || session.disconnect_requested_at) return null;
      const elapsed = BigInt(Math.max(0, Math.ceil((now.getTime() - session.opened_at.getTime()) / 1000)));
      const moved = await this.#moveCover(account, session, elapsed + BigInt(this.settings.intervalSeconds));
      if (BigInt(moved.max_quantity) > BigInt(session.max_quantity))
        await this.jobs.enqueue(BOUND_JOB, {
          engineId: session.engine_id,
          session: session.session_id,
        } satisfies BoundRaised);
      const coverEnds = addSeconds(moved.opened_at, moved.covered);
      if (moved.renewal_short && coverEnds.getTime() <= now.getTime()) {
        const room = await this.#room(account, moved.subaccount_id);
        return { session: moved, reason: room.reason };
      }
      return null;
    });
    if (disconnect) await this.#requestDisconnect([disconnect.session], disconnect.reason);
  }

  /**
   * Moves a call's cover to `target` seconds, holding the difference from the room left; when the
   * room cannot pay for all of it, as much as it pays for (marked short). The new maximum is what
   * the hold and the room left would buy.
   */
  async #moveCover(account: LockedAccount, session: CreditSession, target: bigint): Promise<CreditSession> {
    const tariff = tariffOf(session);
    const room = await this.#room(account, session.subaccount_id);
    const held = BigInt(session.held_micros);
    let covered = BigInt(session.covered);
    let newHeld = held;
    let short = false;
    if (target > covered) {
      const wanted = costOf('voice', tariff, target);
      if (wanted - held <= room.micros) {
        covered = target;
        newHeld = wanted;
      } else {
        short = true;
        const reachable = affordable('voice', tariff, held + (room.micros > 0n ? room.micros : 0n), target);
        if (reachable > covered) {
          covered = reachable;
          newHeld = costOf('voice', tariff, reachable);
        }
      }
    }
    const left = room.micros - (newHeld - held);
    const max = affordable('voice', tariff, newHeld + (left > 0n ? left : 0n), MAX_CALL_SECONDS);
    const changes = {
      covered,
      held_micros: newHeld,
      max_quantity: max > covered ? max : covered,
      expires_at: this.#expiry('voice', session.opened_at, max > covered ? max : covered),
      renewal_short: short,
    };
    await this.store.updateSession(session.id, changes);
    await this.store.addHeld(account.id, newHeld - held);
    account.heldMicros += newHeld - held;
    return { ...session, ...changes };
  }

  /** Ends a session: charges `quantity` as a usage record (the session id is its event id), releases the hold. */
  async #close(id: string, quantity: bigint, endedAt: Date, status: 'ended' | 'expired'): Promise<EndAnswer> {
    return inTransaction(this.db, async () => {
      const found = (await this.store.sessionById(id)) as CreditSession;
      const account = await this.store.lockAccount(found.account_id);
      const session = (await this.store.sessionById(id, true)) as CreditSession;
      if (session.status !== 'open') return endAnswerOf(session);
      const product = session.product as UsageProduct;
      const rated = rate(product, tariffOf(session), quantity);
      const amount = rated.amount.micros;
      const draft: UsageRecordDraft = {
        engineId: session.engine_id,
        batchId: '',
        eventId: session.session_id,
        mainAccountId: session.account_id,
        subaccountId: session.subaccount_id,
        currency: session.currency,
        product,
        direction: session.direction,
        from: session.from_number,
        to: session.to_number,
        numberType: session.number_type as UsageRecordDraft['numberType'],
        countryIso: session.country_iso,
        prefix: session.prefix,
        quantity,
        billedQuantity: rated.billedQuantity,
        rateMicros: BigInt(session.rate_micros),
        amountMicros: amount,
        startedAt: session.opened_at.toISOString(),
      };
      const claimed = await this.usage.chargeInTransaction(session.engine_id, [draft]);
      const charged = claimed.has(session.session_id)
        ? amount
        : await this.store.recordedAmount(session.engine_id, session.session_id);
      const ended = {
        status,
        ended_at: endedAt,
        quantity,
        charged_micros: charged,
        flagged: status === 'expired',
        held_micros: 0n,
      };
      await this.store.updateSession(session.id, ended);
      await this.store.addHeld(account.id, -BigInt(session.held_micros));
      return endAnswerOf({ ...session, ...ended });
    });
  }

  /** Why the account may not open a session now, other than credit: its status, its limits. */
  async #refusal(
    account: LockedAccount,
    subaccountId: string | null,
    rateMicros: bigint,
  ): Promise<SessionAnswer | null> {
    const refuse = (error: SessionRefusalCode, reason: string): SessionAnswer => ({
      allowed: false,
      status: 403,
      error,
      reason,
    });
    if (account.status !== 'active')
      return refuse(
        CreditErrors.accountNotActive,
        `The account ${account.authId} is ${account.status.replaceAll('_', ' ')}: it may not start calls or messages.`,
      );
    if (subaccountId) {
      const sub = await this.store.subaccount(subaccountId);
      if (!sub?.enabled || sub.deleted_at)
        return refuse(CreditErrors.accountNotActive, `The subaccount ${sub?.auth_id ?? ''} is disabled.`);
    }
    const limits = await this.limits(account.id, subaccountId);
    const accountLimits = subaccountId ? await this.limits(account.id) : limits;
    const open = await this.store.openCounts(account.id, subaccountId);
    if (open.account >= accountLimits.maxSessions)
      return refuse(
        CreditErrors.tooManySessions,
        `The account has ${open.account} sessions open, its limit: end one first (staff can raise the limit).`,
      );
    if (subaccountId && open.subaccount >= limits.maxSessions)
      return refuse(
        CreditErrors.tooManySessions,
        `The subaccount has ${open.subaccount} sessions open, the limit its main account set.`,
      );
    for (const cap of [accountLimits.maxDestinationRateMicros, limits.maxDestinationRateMicros])
      if (cap !== null && rateMicros > cap)
        return refuse(
          CreditErrors.destinationRateAboveLimit,
          `The destination costs ${formatMoney(rateMicros)} ${account.currency}, above the highest rate allowed (${formatMoney(cap)}).`,
        );
    return null;
  }

  /** The most a new hold or charge may take: the free credit, and for a capped subaccount what its caps leave. */
  async #room(
    account: LockedAccount,
    subaccountId: string | null,
    knownOwed?: bigint,
  ): Promise<{
    micros: bigint;
    reason: typeof CreditErrors.outOfCredit | typeof CreditErrors.spendCapReached;
  }> {
    const owed = knownOwed ?? (await this.store.owed(account.id));
    const free = account.balanceMicros - owed - account.heldMicros;
    if (!subaccountId) return { micros: free, reason: CreditErrors.outOfCredit };
    const limits = await this.limits(account.id, subaccountId);
    if (limits.dailySpendCapMicros === null && limits.monthlySpendCapMicros === null)
      return { micros: free, reason: CreditErrors.outOfCredit };
    const [spent, held] = await Promise.all([
      this.spent(subaccountId, account.timezone),
      this.store.heldBySubaccount(subaccountId),
    ]);
    let room = free;
    let reason: typeof CreditErrors.outOfCredit | typeof CreditErrors.spendCapReached =
      CreditErrors.outOfCredit;
    for (const [cap, used] of [
      [limits.dailySpendCapMicros, spent.dayMicros],
      [limits.monthlySpendCapMicros, spent.monthMicros],
    ] as const) {
      if (cap === null) continue;
      const left = cap - used - held;
      if (left < room) {
        room = left;
        reason = CreditErrors.spendCapReached;
      }
    }
    return { micros: room, reason };
  }

  #effective(account: LimitsRow | undefined, subaccount: LimitsRow | undefined): EffectiveLimits {
    if (subaccount)
      return {
        maxSessions: subaccount.max_sessions ?? account?.max_sessions ?? this.settings.maxSessions,
        maxDestinationRateMicros: subaccount.max_destination_rate_micros,
        dailySpendCapMicros: subaccount.daily_spend_cap_micros,
        monthlySpendCapMicros: subaccount.monthly_spend_cap_micros,
      };
    return {
      maxSessions: account?.max_sessions ?? this.settings.maxSessions,
      maxDestinationRateMicros: account
        ? account.max_destination_rate_micros
        : this.settings.maxDestinationRateMicros,
      dailySpendCapMicros: null,
      monthlySpendCapMicros: null,
    };
  }

  #expiry(product: string, openedAt: Date, max: bigint): Date {
    return product === 'voice'
      ? addSeconds(openedAt, max + BigInt(this.settings.intervalSeconds))
      : addSeconds(openedAt, MESSAGE_SESSION_SECONDS);
  }

  #answerOf(session: CreditSession): SessionAnswer {
    const max = Number(session.max_quantity);
    return {
      allowed: true,
      session: session.session_id,
      ...(session.product === 'voice' ? { max_seconds: max } : { max_units: max }),
      expires_at: session.expires_at.toISOString(),
    };
  }
}

function endAnswerOf(session: CreditSession): EndAnswer {
  return {
    session: session.session_id,
    status: session.status === 'expired' ? 'expired' : 'ended',
    quantity: Number(session.quantity ?? 0),
    amount: formatMoney(BigInt(session.charged_micros ?? 0)),
    flagged: session.flagged,
  };
}

function outOfCredit(
  reason: typeof CreditErrors.outOfCredit | typeof CreditErrors.spendCapReached,
  account: LockedAccount,
  room: bigint,
  hold: bigint,
): SessionAnswer {
  const free = formatMoney(room > 0n ? room : 0n);
  return {
    allowed: false,
    status: 402,
    error: reason,
    reason:
      reason === CreditErrors.spendCapReached
        ? `The subaccount has reached its spend cap: ${free} ${account.currency} of it is left and the session needs ${formatMoney(hold)}.`
        : `The account ${account.authId} is out of credit: ${free} ${account.currency} is free and the session needs ${formatMoney(hold)}. It must be recharged.`,
  };
}
