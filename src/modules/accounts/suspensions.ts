import { type Db, executor, inTransaction } from '../../db/database.js';
import type { SuspensionReason } from '../../db/schema.js';
import type { EventPayload } from '../../events/catalog.js';
import type { Clock } from '../../lib/clock.js';
import { assertThat, Conflict, NotFound, ValidationFailed } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { messages } from '../../notify/messages.js';
import type { Outbox } from '../../notify/outbox.js';
import type { Actor } from '../audit/audit.js';
import type { AttachmentUpload } from '../support/schemas.js';
import type { SupportService } from '../support/service.js';
import { AccountErrors } from './errors.js';
import type { AccountLifecycle } from './lifecycle.js';
import type { AccountStore } from './store.js';

/** The reasons staff give, as the FAQ names them ("Why was my account suspended?"). */
export const suspensionReasons: Record<SuspensionReason, { label: string; address: string }> = {
  content_violation: {
    label: 'Content violation',
    address: 'Stop the traffic that breaks the acceptable use policy and tell us what you changed.',
  },
  payment_failure: {
    label: 'Payment failure',
    address: 'Add a working card in Billing > Payment Settings and recharge, or tell us how you will pay.',
  },
  compliance_issue: {
    label: 'Compliance issue',
    address: 'Send the documents or registrations the notice asks for.',
  },
  suspicious_activity: {
    label: 'Suspicious activity',
    address: 'Confirm the recent activity was yours, or secure the account (Account > Settings > Security).',
  },
};

const MAX_TEXT = 4000;

export interface SuspensionView {
  reason: SuspensionReason;
  reasonLabel: string;
  whatToAddress: string;
  details: string;
  suspendedAt: Date;
  reinstatementRequestedAt: Date | null;
  /** The support ticket the request for reinstatement opened. */
  reinstatementTicket: string | null;
}

/**
 * Suspension and reinstatement: staff suspend a main account with a reason and details for its
 * members (repeated auto-recharge failures suspend it for payment failure); the lifecycle moves its
 * status (so the API gate refuses it with the reason, engines are told to end its calls and it
 * opens no new ones); the Owner and Admins are emailed the notice. Members ask for reinstatement
 * with a message; staff reinstate with a note. Every step is a lifecycle transition, audited.
 */
export class Suspensions {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly lifecycle: Pick<AccountLifecycle, 'transition'>,
    private readonly accounts: Pick<AccountStore, 'securityContacts'>,
    private readonly outbox: Pick<Outbox, 'enqueueMany'>,
    private readonly tickets: Pick<SupportService, 'create'>,
  ) {}

  private get q() {
    return executor(this.db);
  }

  /** Suspends an active main account; answers its suspension. */
  async suspend(
    actor: Actor,
    accountId: string,
    input: { reason: SuspensionReason; details: string },
    by: 'staff' | 'system' = 'staff',
  ): Promise<SuspensionView> {
    const details = input.details.trim();
    assertThat(
      details.length > 0 && details.length <= MAX_TEXT,
      ValidationFailed(
        AccountErrors.suspensionDetailsRequired,
        'Write the details the account’s members will read: what happened and what to do (at most 4,000 characters).',
        [{ field: 'details', message: 'required, at most 4,000 characters' }],
      ),
    );
    return inTransaction(this.db, async () => {
      const label = suspensionReasons[input.reason].label;
      await this.lifecycle.transition(actor, accountId, {
        to: 'suspended',
        by,
        reason: label,
        details: { suspensionReason: input.reason, notice: details },
      });
      const now = this.clock.now();
      await this.q
        .insertInto('account_suspensions')
        .values({
          id: newId(),
          account_id: accountId,
          reason: input.reason,
          details,
          suspended_by: actor.staffId ? `staff:${actor.staffId}` : 'system',
          suspended_at: now,
        })
        .execute();
      const text = messages.accountSuspended(label, details, suspensionReasons[input.reason].address);
      const contacts = await this.accounts.securityContacts(accountId);
      await this.outbox.enqueueMany(
        contacts.map((c) => ({ channel: 'email' as const, to: c.email, ...text })),
      );
      return (await this.current(accountId)) as SuspensionView;
    });
  }

  /** `billing.payment_failed`: an active account is suspended for payment failure. */
  async onPaymentFailed(event: EventPayload<'billing.payment_failed'>): Promise<void> {
    const account = await this.q
      .selectFrom('accounts')
      .select('status')
      .where('id', '=', event.accountId)
      .executeTakeFirst();
    if (account?.status !== 'active') return;
    await this.suspend(
      { ip: 'system', userAgent: null },
      event.accountId,
      {
        reason: 'payment_failure',
        details: `Auto-recharge failed ${event.consecutiveFailures} times in a row (${event.reason}).`,
      },
      'system',
    );
  }

  /** Reinstates a suspended account with a staff note. */
  async reinstate(actor: Actor & { staffId: string }, accountId: string, note: string): Promise<void> {
    const trimmed = note.trim();
    assertThat(
      trimmed.length > 0 && trimmed.length <= MAX_TEXT,
      ValidationFailed(AccountErrors.noteRequired, 'Write a note: why the account is reinstated.', [
        { field: 'note', message: 'required' },
      ]),
    );
    await inTransaction(this.db, async () => {
      await this.lifecycle.transition(actor, accountId, { to: 'active', by: 'staff', reason: trimmed });
      await this.q
        .updateTable('account_suspensions')
        .set({ ended_at: this.clock.now(), ended_by: `staff:${actor.staffId}`, end_note: trimmed })
        .where('account_id', '=', accountId)
        .where('ended_at', 'is', null)
        .execute();
      const contacts = await this.accounts.securityContacts(accountId);
      const text = messages.accountReinstated();
      await this.outbox.enqueueMany(
        contacts.map((c) => ({ channel: 'email' as const, to: c.email, ...text })),
      );
    });
  }

  /** `account.status_changed` to closed: a current suspension ends with the account. */
  async onClosed(event: EventPayload<'account.status_changed'>): Promise<void> {
    if (event.to !== 'closed') return;
    await this.q
      .updateTable('account_suspensions')
      .set({ ended_at: this.clock.now(), ended_by: event.by, end_note: `Account closed: ${event.reason}` })
      .where('account_id', '=', event.accountId)
      .where('ended_at', 'is', null)
      .execute();
  }

  /**
   * A member asks for reinstatement: the message is kept on the suspension for staff, and it opens a
   * support ticket (high priority, the documents attached) whose number the suspension keeps. Audited
   * by the caller's door.
   */
  async requestReinstatement(
    actor: Actor & { userId: string },
    accountId: string,
    input: { message: string; attachments?: AttachmentUpload[] },
  ): Promise<SuspensionView> {
    const message = input.message;
    const trimmed = message.trim();
    assertThat(
      trimmed.length > 0 && trimmed.length <= MAX_TEXT,
      ValidationFailed(
        AccountErrors.reinstatementMessageRequired,
        'Tell us what you addressed (at most 4,000 characters).',
        [{ field: 'message', message: 'required, at most 4,000 characters' }],
      ),
    );
    return inTransaction(this.db, async () => {
      const suspension = await this.q
        .selectFrom('account_suspensions')
        .innerJoin('accounts', 'accounts.id', 'account_suspensions.account_id')
        .select(['account_suspensions.id', 'account_suspensions.reason', 'accounts.name', 'accounts.auth_id'])
        .where('account_suspensions.account_id', '=', accountId)
        .where('account_suspensions.ended_at', 'is', null)
        .forUpdate()
        .executeTakeFirst();
      assertThat(suspension, Conflict(AccountErrors.notSuspended, 'This account is not suspended.'));
      const requester = await this.q
        .selectFrom('users')
        .select('email')
        .where('id', '=', actor.userId)
        .executeTakeFirstOrThrow();
      const ticket = await this.tickets.create(
        actor,
        {
          email: requester.email,
          subject: `Reinstatement request: ${suspension.name} (${suspension.auth_id}), suspended for ${suspensionReasons[suspension.reason].label.toLowerCase()}`,
          description: trimmed,
          category: 'account',
          priority: 'high',
          attachments: input.attachments,
        },
        { accountId, userId: actor.userId },
      );
      await this.q
        .updateTable('account_suspensions')
        .set({
          reinstatement_requested_at: this.clock.now(),
          reinstatement_request: trimmed,
          reinstatement_ticket: ticket.number,
        })
        .where('id', '=', suspension.id)
        .execute();
      return (await this.current(accountId)) as SuspensionView;
    });
  }

  /** The account's current suspension, or undefined. */
  async current(accountId: string): Promise<SuspensionView | undefined> {
    const row = await this.q
      .selectFrom('account_suspensions')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('ended_at', 'is', null)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      reason: row.reason,
      reasonLabel: suspensionReasons[row.reason].label,
      whatToAddress: suspensionReasons[row.reason].address,
      details: row.details,
      suspendedAt: row.suspended_at,
      reinstatementRequestedAt: row.reinstatement_requested_at,
      reinstatementTicket: row.reinstatement_ticket,
    };
  }

  /** Every suspension of the account, newest first (the staff console's lifecycle history). */
  async history(accountId: string) {
    const exists = await this.q
      .selectFrom('accounts')
      .select('id')
      .where('id', '=', accountId)
      .executeTakeFirst();
    assertThat(exists, NotFound(AccountErrors.notFound, 'Account not found.'));
    return this.q
      .selectFrom('account_suspensions')
      .select([
        'reason',
        'details',
        'suspended_by as suspendedBy',
        'suspended_at as suspendedAt',
        'reinstatement_requested_at as reinstatementRequestedAt',
        'reinstatement_request as reinstatementRequest',
        'reinstatement_ticket as reinstatementTicket',
        'ended_at as endedAt',
        'ended_by as endedBy',
        'end_note as endNote',
      ])
      .where('account_id', '=', accountId)
      .orderBy('suspended_at', 'desc')
      .execute();
  }
}
