import { type Db, inTransaction } from '../../db/database.js';
import type { Role, UsageProduct } from '../../db/schema.js';
import type { Jobs } from '../../jobs/runner.js';
import type { Clock } from '../../lib/clock.js';
import { assertThat, NotFound } from '../../lib/errors.js';
import { GroupCommit } from '../../lib/group-commit.js';
import { newId } from '../../lib/ids.js';
import { displayMoney, formatMoney, money, parseMoney } from '../../lib/money.js';
import { messages } from '../../notify/messages.js';
import type { Outbox } from '../../notify/outbox.js';
import type { Actor, AuditLog } from '../audit/audit.js';
import { rate } from '../billing/rating.js';
import type { RatedEvent, UsageCharging, UsageClaim, UsageEventInput } from '../billing/usage.js';
import type { UsageRecordDraft } from '../billing/usage-store.js';
import { membersWithRoles } from '../team/recipients.js';
import {
  CreditView,
  type EffectiveLimits,
  effectiveLimits,
  type Room,
  spendPeriods,
  type ViewScope,
} from './credit-view.js';
import { CreditErrors, CreditRefusals, PaymentRequired, type SessionRefusalCode } from './errors.js';
import { affordable, costOf, firstCallCover, MAX_CALL_SECONDS, MAX_MESSAGE_UNITS } from './holds.js';
import {
  type CreditSession,
  CreditStore,
  type EndedSession,
  type LimitsRow,
  type LockedAccount,
} from './store.js';

export const DISCONNECT_JOB = 'credit.disconnect';
/** A call's bound grew while it runs (a credit arrived, other calls' holds were released): its engine is told. */
export const BOUND_JOB = 'credit.raise-bound';
/** Transactions deciding openings and endings one instance runs at once; further decisions wait and go together. */
const CONCURRENT_TRANSACTIONS = 2;
/** A transaction takes at most this many waiting decisions. */
const DECISIONS_PER_TRANSACTION = 500;
/** Sessions whose accounts an instance remembers (it forgets them all beyond this, and reads them again). */
const OWNERS_REMEMBERED = 100_000;
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
  readonly #decisions = new GroupCommit<Decision>({
    concurrent: CONCURRENT_TRANSACTIONS,
    capacity: DECISIONS_PER_TRANSACTION,
    key: keyOf,
    run: (group) => this.#decide(group),
  });
  /** Whose each session is (engine|session id → its account and subaccount), for the sessions this instance opened or read. */
  readonly #owners = new Map<string, { accountId: string; subaccountId: string | null }>();

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly usage: Pick<UsageCharging, 'rateEvent' | 'claimInTransaction' | 'postClaim'>,
    private readonly jobs: Pick<Jobs, 'enqueue'>,
    private readonly outbox: Pick<Outbox, 'enqueueMany'>,
    private readonly audit: AuditLog,
    private readonly settings: CreditSettings,
  ) {
    this.store = new CreditStore(db);
  }

  /** Opens a session (idempotent on the engine's id): the hold and the most it may use, or why not. */
  async open(engineId: string, opening: SessionOpening): Promise<SessionAnswer> {
    const units = opening.units ?? 1;
    const at = this.clock.now();
    const rated = await this.usage.rateEvent(engineId, {
      ...opening,
      quantity: 0,
      started_at: at.toISOString(),
    } satisfies UsageEventInput);
    if ('outcome' in rated) {
      const earlier = await this.store.session(engineId, opening.id);
      if (earlier) return this.#answerOf(earlier);
      const reason = rated.outcome.reason ?? 'refused';
      if (reason.startsWith('unknown_account'))
        throw NotFound(CreditErrors.unknownAccount, `No account has the auth id "${opening.account}".`);
      throw CreditRefusals.invalidSession(`The session cannot be rated: ${reason}.`, 'to');
    }
    if (rated.draft.product !== 'voice')
      assertThat(
        Number.isInteger(units) && units >= 1 && BigInt(units) <= MAX_MESSAGE_UNITS,
        CreditRefusals.invalidSession(
          `units must be a whole number from 1 to ${MAX_MESSAGE_UNITS}.`,
          'units',
        ),
      );
    return new Promise((resolve, reject) =>
      this.#decisions.add({
        kind: 'open',
        engineId,
        sessionId: opening.id,
        units: BigInt(units),
        rated,
        at,
        resolve,
        reject,
      }),
    );
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
      // Sessions before accounts, as every path that locks both.
      const session = (await this.store.sessionById(found.id, true)) as CreditSession;
      const view = await this.#viewFor(found.account_id, found.subaccount_id, {
        lock: true,
        sessions: false,
      });
      if (session.status !== 'open' || session.disconnect_requested_at) return this.#answerOf(session);
      const moved = await this.#moveCover(
        view,
        session,
        BigInt(usedSeconds) + BigInt(this.settings.intervalSeconds),
      );
      return this.#answerOf(moved);
    });
  }

  /** The engine ends a session with what it used: rated at the price in force when it opened, charged as usage, the hold released. */
  end(engineId: string, sessionId: string, ending: SessionEnding): Promise<EndAnswer> {
    return new Promise((resolve, reject) =>
      this.#decisions.add({ kind: 'end', engineId, sessionId, ending, resolve, reject }),
    );
  }

  /** Ends sessions past their expiry at their held amount, flagged (the expiry job). Answers how many. */
  async expireDue(): Promise<number> {
    const now = this.clock.now();
    let expired = 0;
    for (;;) {
      const due = await this.store.expiredBefore(now, 100);
      const answers = await Promise.all(
        due.map(
          (session) =>
            new Promise<EndAnswer>((resolve, reject) =>
              this.#decisions.add({
                kind: 'end',
                engineId: session.engine_id,
                sessionId: session.session_id,
                expiredAt: now,
                resolve,
                reject,
              }),
            ),
        ),
      );
      expired += answers.filter((answer) => answer.status === 'expired').length;
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
      const { account, ...room } = await this.lockRoom(accountId, subaccountId);
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
  async lockRoom(accountId: string, subaccountId: string | null): Promise<Room & { account: LockedAccount }> {
    const view = await this.#viewFor(accountId, subaccountId, { lock: true, sessions: false });
    return { account: view.account(accountId), ...view.room(accountId, subaccountId) };
  }

  /** `lockRoom` for several main accounts' own credit at once: one statement locks them all, in id order. */
  async lockRooms(
    accountIds: readonly string[],
  ): Promise<Map<string, { account: LockedAccount; micros: bigint }>> {
    const view = await this.#view(accountIds, new Map(), { lock: true, sessions: false });
    return new Map(
      accountIds.map((id) => [id, { account: view.account(id), micros: view.room(id, null).micros }]),
    );
  }

  /** The account's (or subaccount's) credit now: scheduled work holds while `outOfCredit`. */
  async state(accountId: string, subaccountId: string | null = null): Promise<CreditState> {
    return inTransaction(this.db, async () => {
      const view = await this.#viewFor(accountId, subaccountId, { lock: false, sessions: false });
      const account = view.account(accountId);
      const room = view.room(accountId, subaccountId);
      return {
        currency: account.currency,
        balanceMicros: account.balanceMicros,
        owedMicros: account.owedMicros,
        heldMicros: account.heldMicros,
        freeMicros: account.balanceMicros - account.owedMicros - account.heldMicros,
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
    return effectiveLimits(
      this.settings,
      rows.get(accountId),
      subaccountId ? rows.get(subaccountId) : undefined,
    );
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
    const own = effectiveLimits(this.settings, rows.get(accountId), undefined);
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
          const limits = effectiveLimits(this.settings, rows.get(accountId), rows.get(sub.id));
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
    const periods = spendPeriods(this.clock.now(), timeZone);
    const [dayMicros, monthMicros] = await Promise.all([
      this.store.spentSince(subaccountId, periods.day),
      this.store.spentSince(subaccountId, periods.month),
    ]);
    return { dayMicros, monthMicros };
  }

  /** The spend cap alerts (a job): each capped subaccount at 80% or 100% of a cap, once per period, by email. */
  async alertSpendCaps(): Promise<number> {
    let sent = 0;
    for (const sub of await this.store.cappedSubaccounts()) {
      const { day: today } = spendPeriods(this.clock.now(), sub.timezone);
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

  /**
   * Decides a group of openings and endings together; when its transaction fails, each decision is
   * tried alone, so one decision's failure is its own.
   */
  async #decide(group: Decision[]): Promise<void> {
    let settle: (() => void)[];
    try {
      settle = await this.#decideTogether(group);
    } catch (error) {
      if (group.length === 1) throw error;
      for (const decision of group) await this.#decide([decision]).catch(decision.reject);
      return;
    }
    for (const answer of settle) answer();
  }

  /**
   * One transaction for a group: its sessions locked, the endings' usage claimed; then every account
   * it touches locked at once and read (`CreditView`), each decision taken in arrival order (an
   * opening against what the earlier decisions of the group held, released and charged), the
   * endings' charges posted together, and one statement recording the sessions opened and ended
   * and the holds moved. Answers the calls that settle each decision once
   * the transaction has committed.
   */
  async #decideTogether(group: readonly Decision[]): Promise<(() => void)[]> {
    const keys = group.map(({ engineId, sessionId }) => ({ engineId, sessionId }));
    // The accounts the group decides for: an opening's from its rating, an ending's from its session
    // (remembered when this instance opened it, else read).
    const unknown = group.filter((decision) => decision.kind === 'end' && !this.#owners.has(keyOf(decision)));
    for (const session of await this.store.sessionsByKeys(unknown)) this.#remember(session);
    const accounts = new Set<string>();
    const subaccounts = new Map<string, string>();
    for (const decision of group) {
      const owner =
        decision.kind === 'open'
          ? { accountId: decision.rated.draft.mainAccountId, subaccountId: decision.rated.draft.subaccountId }
          : this.#owners.get(keyOf(decision));
      if (owner) accounts.add(owner.accountId);
      if (owner?.subaccountId) subaccounts.set(owner.subaccountId, owner.accountId);
    }
    return inTransaction(this.db, async () => {
      // Sessions before accounts: every path that locks both locks them in this order.
      const locked = sessionsByKey(await this.store.sessionsByKeys(keys, true));
      // What each ending used, rated and claimed as usage before the accounts are locked, so their
      // rows (a hot account's above all) are held for fewer statements.
      const used = new Map<EndDecision, Ending | Error>();
      for (const decision of group) {
        const session = locked.get(keyOf(decision));
        if (decision.kind !== 'end' || session?.status !== 'open') continue;
        const use =
          'expiredAt' in decision
            ? usedAtExpiry(session, decision.expiredAt)
            : usedOf(session, decision.ending, this.clock.now());
        used.set(
          decision,
          use instanceof Error
            ? use
            : { decision, session, draft: usageDraftOf(session, use.quantity), ...use },
        );
      }
      const endings = [...used.values()].filter((ending): ending is Ending => !(ending instanceof Error));
      const claims: UsageClaim[] = [];
      for (const [engineId, drafts] of draftsByEngine(endings))
        claims.push(await this.usage.claimInTransaction(engineId, drafts));

      const view = await this.#view(accounts, subaccounts, {
        lock: true,
        sessions: group.some((decision) => decision.kind === 'open'),
      });
      const settle: (() => void)[] = [];
      const opened: CreditSession[] = [];
      const heldChanges = new Map<string, bigint>();
      const changeHeld = (accountId: string, micros: bigint) =>
        heldChanges.set(accountId, (heldChanges.get(accountId) ?? 0n) + micros);
      for (const decision of group) {
        const session = locked.get(keyOf(decision));
        if (decision.kind === 'open') {
          if (session) {
            settle.push(() => decision.resolve(this.#answerOf(session)));
            continue;
          }
          const { answer, created } = this.#openIn(view, decision);
          if (created) {
            opened.push(created);
            this.#remember(created);
            changeHeld(created.account_id, created.held_micros);
          }
          settle.push(() => decision.resolve(answer));
          continue;
        }
        if (!session) {
          settle.push(() => decision.reject(CreditRefusals.sessionNotFound(decision.sessionId)));
          continue;
        }
        const ending = used.get(decision);
        if (!ending) {
          settle.push(() => decision.resolve(endAnswerOf(session)));
          continue;
        }
        if (ending instanceof Error) {
          settle.push(() => decision.reject(ending));
          continue;
        }
        // Counted as charged for the decisions after it; an id the engine already posted as usage was charged then.
        view.ended(
          session.account_id,
          session.subaccount_id,
          BigInt(session.held_micros),
          ending.draft.amountMicros,
        );
        changeHeld(session.account_id, -BigInt(session.held_micros));
        this.#owners.delete(keyOf(decision));
      }

      const claimed = new Set<string>();
      for (const claim of claims)
        for (const eventId of await this.usage.postClaim(claim))
          claimed.add(keyOf({ engineId: claim.engineId, sessionId: eventId }));
      const ended: EndedSession[] = [];
      for (const { decision, session, draft, quantity, endedAt, status } of endings) {
        const charged = claimed.has(keyOf(decision))
          ? draft.amountMicros
          : await this.store.recordedAmount(session.engine_id, session.session_id);
        ended.push({ id: session.id, status, endedAt, quantity, chargedMicros: charged });
        const answer = endAnswerOf({
          ...session,
          status,
          quantity,
          charged_micros: charged,
          flagged: status === 'expired',
        });
        settle.push(() => decision.resolve(answer));
      }
      await this.store.recordDecisions(opened, ended, heldChanges);
      return settle;
    });
  }

  /** Decides an opening against the view: the session to insert (its hold taken from the view), or the refusal. */
  #openIn(
    view: CreditView,
    { engineId, sessionId, rated: { draft, tariff }, units, at }: OpenDecision,
  ): { answer: SessionAnswer; created?: CreditSession } {
    const accountId = draft.mainAccountId;
    const subaccountId = draft.subaccountId;
    const refusal = view.refusal(accountId, subaccountId, draft.rateMicros);
    if (refusal) return { answer: refusal };
    const account = view.account(accountId);
    const room = view.room(accountId, subaccountId);
    const product = draft.product;
    let cover = product === 'voice' ? firstCallCover(tariff, this.settings.intervalSeconds) : units;
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
      return { answer: outOfCredit(room.reason, account, room.micros, hold) };
    const max = affordable(
      product,
      tariff,
      room.micros,
      product === 'voice' ? MAX_CALL_SECONDS : MAX_MESSAGE_UNITS,
    );
    const created: CreditSession = {
      id: newId(),
      engine_id: engineId,
      session_id: sessionId,
      account_id: accountId,
      subaccount_id: subaccountId,
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
      opened_at: at,
      expires_at: this.#expiry(product, at, max),
      renewal_short: short,
      disconnect_reason: null,
      disconnect_requested_at: null,
      ended_at: null,
      quantity: null,
      charged_micros: null,
      flagged: false,
    };
    view.held(accountId, subaccountId, hold);
    view.opened(accountId, subaccountId);
    return { answer: this.#answerOf(created), created };
  }

  #remember(session: CreditSession) {
    if (this.#owners.size >= OWNERS_REMEMBERED) this.#owners.clear();
    this.#owners.set(keyOf({ engineId: session.engine_id, sessionId: session.session_id }), {
      accountId: session.account_id,
      subaccountId: session.subaccount_id,
    });
  }

  #view(accountIds: Iterable<string>, subaccountsOf: ReadonlyMap<string, string>, scope: ViewScope) {
    return CreditView.load(this.store, this.clock, this.settings, accountIds, subaccountsOf, scope);
  }

  #viewFor(accountId: string, subaccountId: string | null, scope: ViewScope) {
    return this.#view([accountId], new Map(subaccountId ? [[subaccountId, accountId]] : []), scope);
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
      // Sessions before accounts, as every path that locks both.
      const session = await this.store.sessionById(id, true);
      if (!session) return null;
      const view = await this.#viewFor(session.account_id, session.subaccount_id, {
        lock: true,
        sessions: false,
      });
      if (session.status !== 'open' || session.disconnect_requested_at) return null;
      const elapsed = BigInt(Math.max(0, Math.ceil((now.getTime() - session.opened_at.getTime()) / 1000)));
      const moved = await this.#moveCover(view, session, elapsed + BigInt(this.settings.intervalSeconds));
      if (BigInt(moved.max_quantity) > BigInt(session.max_quantity))
        await this.jobs.enqueue(BOUND_JOB, {
          engineId: session.engine_id,
          session: session.session_id,
        } satisfies BoundRaised);
      const coverEnds = addSeconds(moved.opened_at, moved.covered);
      if (moved.renewal_short && coverEnds.getTime() <= now.getTime()) {
        return { session: moved, reason: view.room(moved.account_id, moved.subaccount_id).reason };
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
  async #moveCover(view: CreditView, session: CreditSession, target: bigint): Promise<CreditSession> {
    const tariff = tariffOf(session);
    const room = view.room(session.account_id, session.subaccount_id);
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
    await this.store.addHeld(session.account_id, newHeld - held);
    view.held(session.account_id, session.subaccount_id, newHeld - held);
    return { ...session, ...changes };
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

/** A decision waiting for its group: the engine's session it is about, and how its caller hears the answer. */
interface Pending<Answer> {
  engineId: string;
  sessionId: string;
  resolve: (answer: Answer) => void;
  reject: (error: unknown) => void;
}

type OpenDecision = Pending<SessionAnswer> & { kind: 'open'; units: bigint; rated: RatedEvent; at: Date };
/** An engine's ending, or the expiry job's (at the cover held, flagged). */
type EndDecision = Pending<EndAnswer> & { kind: 'end' } & ({ ending: SessionEnding } | { expiredAt: Date });
type Decision = OpenDecision | EndDecision;

/** What ending a session used, when, and as what it ends. */
interface Use {
  quantity: bigint;
  endedAt: Date;
  status: 'ended' | 'expired';
}

interface Ending extends Use {
  decision: EndDecision;
  session: CreditSession;
  draft: UsageRecordDraft;
}

const keyOf = ({ engineId, sessionId }: { engineId: string; sessionId: string }) =>
  `${engineId}|${sessionId}`;

function sessionsByKey(sessions: readonly CreditSession[]): Map<string, CreditSession> {
  return new Map(
    sessions.map((session) => [
      keyOf({ engineId: session.engine_id, sessionId: session.session_id }),
      session,
    ]),
  );
}

/** An expired session is charged the cover it held. */
const usedAtExpiry = (session: CreditSession, at: Date): Use => ({
  quantity: BigInt(session.covered),
  endedAt: at,
  status: 'expired',
});

/** What the engine's ending says was used (seconds of a call, units of a message), or what is wrong with it. */
function usedOf(session: CreditSession, ending: SessionEnding, now: Date): Use | Error {
  const field = session.product === 'voice' ? 'seconds' : 'units';
  const quantity = ending[field];
  if (quantity === undefined)
    return CreditRefusals.invalidSession(
      `Send ${field}: what the ${session.product === 'voice' ? 'call' : 'message'} used.`,
      field,
    );
  if (
    ending.ended_at !== undefined &&
    !(ISO_TIME.test(ending.ended_at) && Number.isFinite(Date.parse(ending.ended_at)))
  )
    return CreditRefusals.invalidSession(
      `ended_at "${ending.ended_at}" is not an ISO 8601 time with a zone, such as 2027-01-15T12:00:00Z.`,
      'ended_at',
    );
  return {
    quantity: BigInt(quantity),
    endedAt: ending.ended_at ? new Date(ending.ended_at) : now,
    status: 'ended',
  };
}

/** The usage record a session's end charges: its quantity rated at the tariff in force when it opened. */
function usageDraftOf(session: CreditSession, quantity: bigint): UsageRecordDraft {
  const product = session.product as UsageProduct;
  const rated = rate(product, tariffOf(session), quantity);
  return {
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
    amountMicros: rated.amount.micros,
    startedAt: session.opened_at.toISOString(),
  };
}

function draftsByEngine(endings: readonly Ending[]): Map<string, UsageRecordDraft[]> {
  const byEngine = new Map<string, UsageRecordDraft[]>();
  for (const { draft } of endings)
    byEngine.set(draft.engineId, [...(byEngine.get(draft.engineId) ?? []), draft]);
  return byEngine;
}
