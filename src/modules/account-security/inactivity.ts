import { Type } from '@sinclair/typebox';
import { type Db, inTransaction } from '../../db/database.js';
import { defineJob } from '../../jobs/definition.js';
import type { Clock } from '../../lib/clock.js';
import { messages } from '../../notify/messages.js';
import type { Outbox } from '../../notify/outbox.js';
import type { Actor, AuditLog } from '../audit/audit.js';
import type { AutoRecharge } from '../billing/auto-recharge.js';
import type { Payments } from '../billing/payments.js';
import { AccountSecurityStore } from './store.js';

const DAY_MS = 86_400_000;
/** Accounts handled per step of a run: a run takes them all, a batch at a time. */
const BATCH = 100;
/** An account's activity is written at most this often by one instance: the policy counts days. */
const ACTIVITY_RESOLUTION_MS = 3_600_000;
/** Accounts whose last write an instance remembers; past it, it forgets them all (and writes once more). */
const ACTIVITY_REMEMBERED = 100_000;
const SYSTEM: Actor = { ip: '127.0.0.1', userAgent: 'inactive-account-policy' };

export interface InactivityPolicySettings {
  /** Days without sign-in or API use before the warning (INACTIVE_WARN_DAYS). */
  warnDays: number;
  /** Days after the warning before stored payment methods are removed (INACTIVE_REMOVE_DAYS). */
  removeDays: number;
}

export interface InactivityDeps {
  db: Db;
  clock: Clock;
  outbox: Pick<Outbox, 'enqueue'>;
  audit: AuditLog;
  payments: Pick<Payments, 'removeCard'>;
  autoRecharge: Pick<AutoRecharge, 'turnOff'>;
}

/**
 * "What is the inactive account policy?": accounts with stored payment methods are vulnerable to
 * takeover, so an account with one and no sign-in or API use for `warnDays` is warned by email
 * (Owner and Admins); after `removeDays` more its stored payment methods are removed, auto-recharge
 * is turned off, and it is flagged for staff. Any sign-in or API use starts the clock again.
 */
export class InactivityPolicy {
  readonly store: AccountSecurityStore;
  /** When this instance last wrote each account's activity (ms). */
  readonly #written = new Map<string, number>();

  constructor(
    private readonly deps: InactivityDeps,
    readonly settings: InactivityPolicySettings,
  ) {
    this.store = new AccountSecurityStore(deps.db);
  }

  /**
   * Sign-in or API use of these accounts (a subaccount's counts for its main account): the clock
   * starts again. Written at most once an hour per account, so a busy account's row is not
   * rewritten on every flush of the request log while sends hold it locked.
   */
  async recordActivity(accountIds: readonly string[], at: Date): Promise<void> {
    const since = at.getTime() - ACTIVITY_RESOLUTION_MS;
    const due = accountIds.filter((id) => (this.#written.get(id) ?? Number.NEGATIVE_INFINITY) <= since);
    if (due.length === 0) return;
    await this.store.touch(due, at);
    if (this.#written.size + due.length > ACTIVITY_REMEMBERED) this.#written.clear();
    for (const id of due) this.#written.set(id, at.getTime());
  }

  /** The policy as the account's Security page shows it, with where this account stands. */
  async status(accountId: string) {
    const row = await this.store.activity(accountId);
    const lastActiveAt = row ? (row.last_active_at ?? row.created_at) : null;
    return {
      warnDays: this.settings.warnDays,
      removeDays: this.settings.removeDays,
      lastActiveAt,
      warnedAt: row?.inactivity_warned_at ?? null,
      paymentMethodsRemovedAt: row?.inactivity_flagged_at ?? null,
    };
  }

  /** One review of every account: warnings first, then removals of those warned long enough ago. */
  async review(): Promise<{ warned: number; cleared: number }> {
    const now = this.deps.clock.now();
    const idleSince = new Date(now.getTime() - this.settings.warnDays * DAY_MS);
    const warnedBefore = new Date(now.getTime() - this.settings.removeDays * DAY_MS);
    let cleared = 0;
    for (;;) {
      const due = await this.store.toClear(warnedBefore, BATCH);
      for (const account of due) await this.clear(account, warnedBefore, now);
      cleared += due.length;
      if (due.length < BATCH) break;
    }
    let warned = 0;
    for (;;) {
      const due = await this.store.toWarn(idleSince, BATCH);
      for (const account of due) if (await this.warn(account, idleSince, now)) warned++;
      if (due.length < BATCH) break;
    }
    return { warned, cleared };
  }

  private async warn(account: { id: string; name: string }, idleSince: Date, now: Date) {
    return inTransaction(this.deps.db, async () => {
      if (!(await this.store.markWarned(account.id, idleSince, now))) return false;
      await this.deps.audit.record(SYSTEM, {
        action: 'account.inactivity_warned',
        accountId: account.id,
        details: { warnDays: this.settings.warnDays, removeDays: this.settings.removeDays },
      });
      for (const contact of await this.store.contacts(account.id)) {
        await this.deps.outbox.enqueue({
          channel: 'email',
          to: contact.email,
          ...messages.inactivityWarning(
            contact.name,
            account.name,
            this.settings.warnDays,
            this.settings.removeDays,
          ),
        });
      }
      return true;
    });
  }

  private async clear(account: { id: string; name: string }, warnedBefore: Date, now: Date) {
    const reason = 'inactive_account_policy';
    await inTransaction(this.deps.db, async () => {
      if (!(await this.store.claimFlag(account.id, warnedBefore, now))) return;
      await this.deps.autoRecharge.turnOff(SYSTEM, account.id, reason);
      const methodIds = await this.store.storedMethodIds(account.id);
      for (const methodId of methodIds)
        await this.deps.payments.removeCard(SYSTEM, account.id, methodId, reason);
      await this.deps.audit.record(SYSTEM, {
        action: 'account.inactivity_flagged',
        accountId: account.id,
        details: {
          paymentMethodsRemoved: methodIds.length,
          idleDays: this.settings.warnDays + this.settings.removeDays,
        },
      });
      for (const contact of await this.store.contacts(account.id)) {
        await this.deps.outbox.enqueue({
          channel: 'email',
          to: contact.email,
          ...messages.inactivityPaymentMethodsRemoved(
            contact.name,
            account.name,
            this.settings.warnDays + this.settings.removeDays,
          ),
        });
      }
    });
  }
}

export const INACTIVITY_JOB = 'accounts.inactivity-review';

/** Reviews accounts for activity once an hour (a run is idempotent: each step is marked in its transaction). */
export function inactivityReviewJob(policy: Pick<InactivityPolicy, 'review'>) {
  return defineJob({
    name: INACTIVITY_JOB,
    payload: Type.Object({}),
    schedule: { everySeconds: 3600 },
    handle: async () => {
      await policy.review();
    },
  });
}
