import { sql } from 'kysely';
import { type Db, executor, inTransaction } from '../../db/database.js';
import type { Clock } from '../../lib/clock.js';
import { assertThat, Conflict, NotFound } from '../../lib/errors.js';
import { displayMoney, money } from '../../lib/money.js';
import { messages } from '../../notify/messages.js';
import type { Outbox } from '../../notify/outbox.js';
import type { Actor } from '../audit/audit.js';
import type { RefundPlan, Refunds } from '../billing/refunds.js';
import { AccountErrors } from './errors.js';
import type { AccountLifecycle, StatusChanger } from './lifecycle.js';
import type { AccountStore } from './store.js';

/**
 * One thing closing deletes or ends, done by the module that owns it inside the closing
 * transaction; `run` answers how many it removed (for the audit trail).
 */
export interface ClosureStep {
  what: string;
  run(accountId: string): Promise<number>;
}

export interface ClosurePreview {
  name: string;
  authId: string;
  status: string;
  applications: number;
  numbers: number;
  endpoints: number;
  subaccounts: number;
  members: number;
  refund: {
    amount: string;
    nothing: boolean;
    recentRecharges: string;
    kept: string;
    currency: string;
    dueOn: string;
  };
  /** What must be settled first (a payment in progress); empty when the account can be closed. */
  blockers: string[];
}

/**
 * "How do I close my account?" (Account > Service Address > Close Account): the account moves to
 * closed, and in the same transaction its applications, phone numbers (back to the inventory),
 * endpoints, subaccounts and logs go, every session in it ends, and what is left of its recharges
 * of the last 90 days is scheduled for refund. Members keep their sign-in, not the account; the
 * ledger, invoices and audit trail stay for staff. The Owner and Admins are emailed.
 */
export class AccountClosure {
  constructor(
    private readonly db: Db,
    private readonly deps: {
      clock: Clock;
      lifecycle: Pick<AccountLifecycle, 'transition'>;
      refunds: Pick<Refunds, 'plan' | 'scheduleForClosure'>;
      accounts: Pick<AccountStore, 'securityContacts'>;
      outbox: Pick<Outbox, 'enqueueMany'>;
      steps: readonly ClosureStep[];
      calendar: { addBusinessDays(from: Date, count: number): string };
      refundBusinessDays: number;
    },
  ) {}

  /** What closing would do now: the confirmation lists it. */
  async preview(accountId: string): Promise<ClosurePreview> {
    const facts = await this.facts(accountId);
    const plan = await this.deps.refunds.plan(accountId);
    return {
      ...facts,
      refund: {
        ...this.amounts(plan),
        dueOn: this.deps.calendar.addBusinessDays(this.deps.clock.now(), this.deps.refundBusinessDays),
      },
      blockers: await this.blockers(accountId),
    };
  }

  /** Closes the account (the caller checked who may: the Owner after re-authentication, or staff). */
  async close(actor: Actor, accountId: string, by: Exclude<StatusChanger, 'system'>, reason: string) {
    const { lifecycle, refunds, steps, accounts, outbox } = this.deps;
    return inTransaction(this.db, async () => {
      const facts = await this.facts(accountId);
      const blockers = await this.blockers(accountId);
      assertThat(blockers.length === 0, Conflict(AccountErrors.closureBlocked, blockers.join(' ')));
      await lifecycle.transition(actor, accountId, {
        to: 'closed',
        by,
        reason,
        details: { name: facts.name },
      });
      await executor(this.db)
        .updateTable('accounts')
        .set({ closed_at: this.deps.clock.now() })
        .where('id', '=', accountId)
        .execute();
      const removed: Record<string, number> = {};
      for (const step of steps) removed[step.what] = await step.run(accountId);
      const { plan, dueOn } = await refunds.scheduleForClosure(
        accountId,
        actor.userId ? `member:${actor.userId}` : actor.staffId ? `staff:${actor.staffId}` : 'system',
      );
      const amounts = this.amounts(plan);
      const refundText =
        plan.refundMicros > 0n
          ? `A refund of ${amounts.amount} (what remains of the recharges of the last 90 days) will reach the card that paid it by ${dueOn}. Trial credit and older credit are not refunded${plan.keptMicros > 0n ? ` (${amounts.kept} stays)` : ''}. We will email when it is issued.`
          : 'Nothing is refunded: no credit remains from recharges of the last 90 days (trial credit and older credit are not refunded).';
      const byWhom = by === 'owner' ? 'its Owner' : "the operator's staff";
      const contacts = await accounts.securityContacts(accountId);
      await outbox.enqueueMany(
        contacts.map((contact) => ({
          channel: 'email' as const,
          to: contact.email,
          ...messages.accountClosed(facts.name, facts.authId, byWhom, refundText),
        })),
      );
      return { closedAt: this.deps.clock.now(), removed, refund: { ...amounts, dueOn } };
    });
  }

  private amounts(plan: RefundPlan) {
    const show = (micros: bigint) => displayMoney(money(micros, plan.currency), 'en-US');
    return {
      amount: show(plan.refundMicros),
      nothing: plan.refundMicros === 0n,
      recentRecharges: show(plan.recentRechargesMicros),
      kept: show(plan.keptMicros > 0n ? plan.keptMicros : 0n),
      currency: plan.currency,
    };
  }

  /** A payment still waiting on its gateway could credit the account after it closed. */
  private async blockers(accountId: string): Promise<string[]> {
    const waiting = await executor(this.db)
      .selectFrom('payments')
      .select(({ fn }) => fn.countAll<string>().as('count'))
      .where('account_id', '=', accountId)
      .where('status', 'in', ['pending', 'requires_action'])
      .executeTakeFirstOrThrow();
    return Number(waiting.count) > 0
      ? [
          'A payment is still in progress: finish or cancel it in Billing > Payment Settings, then close the account.',
        ]
      : [];
  }

  private async facts(accountId: string) {
    const { rows } = await sql<{
      name: string;
      auth_id: string;
      status: string;
      parent_account_id: string | null;
      applications: string;
      numbers: string;
      endpoints: string;
      subaccounts: string;
      members: string;
    }>`
      SELECT a.name, a.auth_id, a.status, a.parent_account_id,
        (SELECT count(*) FROM applications WHERE account_id = a.id) AS applications,
        (SELECT count(*) FROM numbers WHERE account_id = a.id) AS numbers,
        (SELECT count(*) FROM endpoints WHERE account_id = a.id) AS endpoints,
        (SELECT count(*) FROM accounts s WHERE s.parent_account_id = a.id AND s.deleted_at IS NULL) AS subaccounts,
        (SELECT count(*) FROM memberships WHERE account_id = a.id) AS members
      FROM accounts a WHERE a.id = ${accountId}`.execute(executor(this.db));
    const row = rows[0];
    assertThat(row && row.parent_account_id === null, NotFound(AccountErrors.notFound, 'Account not found.'));
    return {
      name: row.name,
      authId: row.auth_id,
      status: row.status,
      applications: Number(row.applications),
      numbers: Number(row.numbers),
      endpoints: Number(row.endpoints),
      subaccounts: Number(row.subaccounts),
      members: Number(row.members),
    };
  }
}
