import { sql } from 'kysely';
import { type Db, executor, inTransaction } from '../../db/database.js';
import type { AccountStatus } from '../../db/schema.js';
import type { EventBus } from '../../events/bus.js';
import type { Clock } from '../../lib/clock.js';
import { assertThat, DomainError, NotFound } from '../../lib/errors.js';
import type { Actor, AuditLog } from '../audit/audit.js';
import { AccountErrors } from './errors.js';

/** Who moves an account: Switchboard's own rules, the operator's staff, or the account's owner. */
export type StatusChanger = 'system' | 'staff' | 'owner';

export interface StatusTransition {
  from: AccountStatus;
  to: AccountStatus;
  by: StatusChanger;
  /** The audit action recorded when this transition happens. */
  action: string;
}

/**
 * Every way an account's status may change, and who may make each change. Anything not listed is
 * refused.
 */
export const statusTransitions: readonly StatusTransition[] = [
  { from: 'pending_verification', to: 'active', by: 'system', action: 'account.activated' },
  { from: 'pending_verification', to: 'under_review', by: 'system', action: 'account.held_for_review' },
  { from: 'pending_verification', to: 'active', by: 'staff', action: 'account.activated' },
  { from: 'under_review', to: 'active', by: 'system', action: 'account.activated' },
  { from: 'under_review', to: 'active', by: 'staff', action: 'account.review_approved' },
  { from: 'under_review', to: 'rejected', by: 'staff', action: 'account.review_rejected' },
  { from: 'active', to: 'suspended', by: 'staff', action: 'account.suspended' },
  // Repeated auto-recharge failures suspend for payment failure (src/modules/accounts/suspensions.ts).
  { from: 'active', to: 'suspended', by: 'system', action: 'account.suspended' },
  { from: 'suspended', to: 'active', by: 'staff', action: 'account.reinstated' },
  { from: 'active', to: 'closed', by: 'owner', action: 'account.closed' },
  { from: 'active', to: 'closed', by: 'staff', action: 'account.closed' },
  { from: 'suspended', to: 'closed', by: 'staff', action: 'account.closed' },
];

/** The status an account is created in: a main account waits for its creator's verification; a subaccount works at once. */
export const startingStatus = {
  main: 'pending_verification',
  subaccount: 'active',
} as const satisfies Record<string, AccountStatus>;

/** A status change the transition table does not allow. */
export class IllegalStatusTransition extends DomainError {
  constructor(
    readonly from: AccountStatus,
    readonly to: AccountStatus,
    readonly by: StatusChanger,
  ) {
    super(
      409,
      AccountErrors.illegalStatusTransition,
      `An account that is ${from.replace('_', ' ')} cannot be made ${to.replace('_', ' ')} by ${by === 'system' ? 'Switchboard' : by}.`,
    );
  }
}

export interface StatusChange {
  to: AccountStatus;
  by: StatusChanger;
  /** Why, in words a person reading the audit trail understands. */
  reason: string;
  /** More for the audit event (a reviewer's note, the rule that held the account). */
  details?: Record<string, unknown>;
}

/**
 * The account lifecycle: the only writer of an account's status. Each transition is checked
 * against the table, audited and published as `account.status_changed` in the caller's
 * transaction, so the status, its audit event and whatever reacts commit together.
 */
export class AccountLifecycle {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
    private readonly events: EventBus,
  ) {}

  /** Moves the account to change.to if the table allows it from its current status for change.by. */
  async transition(actor: Actor, accountId: string, change: StatusChange): Promise<StatusTransition> {
    const reason = change.reason.trim();
    if (!reason) throw new Error(`A status change to ${change.to} needs a reason`);
    return inTransaction(this.db, async () => {
      const account = await executor(this.db)
        .selectFrom('accounts')
        .select('status')
        .where('id', '=', accountId)
        .forUpdate()
        .executeTakeFirst();
      assertThat(account, NotFound(AccountErrors.notFound, 'Account not found.'));
      const transition = statusTransitions.find(
        (t) => t.from === account.status && t.to === change.to && t.by === change.by,
      );
      if (!transition) throw new IllegalStatusTransition(account.status, change.to, change.by);
      await executor(this.db)
        .updateTable('accounts')
        .set({
          status: transition.to,
          // The first activation is kept: reinstating a suspended account does not move it.
          ...(transition.to === 'active'
            ? { activated_at: sql<Date>`coalesce(activated_at, ${this.clock.now()})` }
            : {}),
        })
        .where('id', '=', accountId)
        .execute();
      await this.audit.record(actor, {
        action: transition.action,
        accountId,
        details: { from: transition.from, to: transition.to, reason, ...change.details },
      });
      await this.events.publish('account.status_changed', {
        accountId,
        from: transition.from,
        to: transition.to,
        by: transition.by,
        reason,
      });
      return transition;
    });
  }

  /**
   * The account's status changes, newest first, from the audit trail: when, from what to what, why,
   * and who (a staff member, a member, or Switchboard itself).
   */
  async history(accountId: string, limit: number): Promise<StatusChangeRecord[]> {
    const events = await this.audit.ofAccount(accountId, { actions: lifecycleActions, limit });
    return events.map((event) => {
      const details = event.details ?? {};
      const text = (key: string) => (typeof details[key] === 'string' ? (details[key] as string) : null);
      return {
        at: event.at,
        action: event.action,
        from: text('from'),
        to: text('to'),
        reason: text('reason') ?? text('reasonClass') ?? '',
        by: event.staffName
          ? { kind: 'staff' as const, name: event.staffName, email: event.staffEmail }
          : event.userEmail
            ? { kind: 'member' as const, name: null, email: event.userEmail }
            : { kind: 'system' as const, name: null, email: null },
      };
    });
  }
}

/** The audit actions the lifecycle writes (and an account held again for another reason). */
const lifecycleActions = [...new Set(statusTransitions.map((t) => t.action))];

/** One status change as the staff console's history shows it. */
export interface StatusChangeRecord {
  at: Date;
  action: string;
  from: string | null;
  to: string | null;
  reason: string;
  by: { kind: 'staff' | 'member' | 'system'; name: string | null; email: string | null };
}
