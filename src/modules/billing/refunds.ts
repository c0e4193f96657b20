import { Type } from '@sinclair/typebox';
import { type Db, executor, inTransaction } from '../../db/database.js';
import type { PaymentGatewayName, RefundStatus } from '../../db/schema.js';
import { defineJob } from '../../jobs/definition.js';
import type { Jobs } from '../../jobs/runner.js';
import type { BusinessCalendar } from '../../lib/business-days.js';
import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import { displayMoney, money } from '../../lib/money.js';
import { messages } from '../../notify/messages.js';
import type { Actor, AuditLog } from '../audit/audit.js';
import { GatewayRefusal, minorDigits, minorUnits, type PaymentGateway } from './gateway.js';
import type { Ledger } from './ledger.js';
import type { Payments } from './payments.js';

/** The FAQ: "Remaining credits are refunded within 20 business days (only recharges from the last 90 days)". */
export const REFUND_WINDOW_DAYS = 90;
export const REFUND_BUSINESS_DAYS = 20;
const DAY_MS = 86_400_000;
const smaller = (a: bigint, b: bigint) => (a < b ? a : b);

export const ISSUE_REFUND = 'billing.issue-refund';
/** Eight attempts over about 40 minutes; then staff see the refund still scheduled, and its job failed. */
const ISSUE_RETRY = { limit: 8, backoffSeconds: 20 };
const SYSTEM: Actor = { ip: '127.0.0.1', userAgent: 'refunds' };

/** What a closing account gets back: the total and, newest recharge first, how much of each. */
export interface RefundPlan {
  currency: string;
  /** The account's balance less what its open calls hold. */
  availableMicros: bigint;
  /** What recharges of the last 90 days brought in (reversed ones excepted). */
  recentRechargesMicros: bigint;
  refundMicros: bigint;
  /** What stays: trial credit, staff credits and recharges older than 90 days (never refunded). */
  keptMicros: bigint;
  parts: { paymentId: string; gateway: PaymentGatewayName; amountMicros: bigint }[];
}

export interface RefundView {
  id: string;
  paymentId: string;
  amount: string;
  currency: string;
  dueOn: string;
  status: RefundStatus;
  failureReason: string | null;
  issuedAt: Date | null;
}

/**
 * Refunds of a closed account's remaining credit. Spending draws on trial credit, staff credits and
 * older money first, so what remains of the balance is refunded up to what the recharges of the
 * last 90 days brought in, newest recharge first, each through the gateway that took it. The
 * ledger moves the money when the refund is scheduled (entry `refund:<payment id>`); the job issues
 * it at the gateway and tells the billing members how it went.
 */
export class Refunds {
  constructor(
    private readonly db: Db,
    private readonly deps: {
      clock: Clock;
      ledger: Pick<Ledger, 'post'>;
      gateway: PaymentGateway;
      jobs: Pick<Jobs, 'enqueue'>;
      audit: AuditLog;
      calendar: BusinessCalendar;
      /** Tells the account's billing members. */
      payments: Pick<Payments, 'tell'>;
    },
  ) {}

  /** What closing the account now would refund (read under the caller's lock when inside a transaction). */
  async plan(accountId: string): Promise<RefundPlan> {
    const q = executor(this.db);
    const account = await q
      .selectFrom('accounts')
      .select(['balance_micros', 'held_micros', 'currency'])
      .where('id', '=', accountId)
      .executeTakeFirstOrThrow();
    const since = new Date(this.deps.clock.now().getTime() - REFUND_WINDOW_DAYS * DAY_MS);
    const recharges = await q
      .selectFrom('payments')
      .select(['id', 'gateway', 'amount_micros'])
      .where('account_id', '=', accountId)
      .where('status', '=', 'succeeded')
      .where('credited_at', '>=', since)
      .where('reversed_at', 'is', null)
      .orderBy('credited_at', 'desc')
      .orderBy('number', 'desc')
      .execute();
    const available = account.balance_micros - account.held_micros;
    const recent = recharges.reduce((sum, payment) => sum + payment.amount_micros, 0n);
    let left = available > 0n ? smaller(available, recent) : 0n;
    const refund = left;
    const parts: RefundPlan['parts'] = [];
    for (const payment of recharges) {
      if (left === 0n) break;
      const amount = smaller(payment.amount_micros, left);
      parts.push({ paymentId: payment.id, gateway: payment.gateway, amountMicros: amount });
      left -= amount;
    }
    return {
      currency: account.currency,
      availableMicros: available,
      recentRechargesMicros: recent,
      refundMicros: refund,
      keptMicros: account.balance_micros - refund,
      parts,
    };
  }

  /**
   * Schedules the refunds of a closing account, in the caller's transaction (after the account's row
   * is locked): the ledger entries, the refund rows due `REFUND_BUSINESS_DAYS` business days on,
   * and their jobs. Answers the plan and the due date.
   */
  async scheduleForClosure(
    accountId: string,
    causedBy: string,
  ): Promise<{ plan: RefundPlan; dueOn: string }> {
    return inTransaction(this.db, async (trx) => {
      const plan = await this.plan(accountId);
      const now = this.deps.clock.now();
      const dueOn = this.deps.calendar.addBusinessDays(now, REFUND_BUSINESS_DAYS);
      if (plan.parts.length === 0) return { plan, dueOn };
      const rows = plan.parts.map((part) => ({
        id: newId(),
        account_id: accountId,
        payment_id: part.paymentId,
        gateway: part.gateway,
        reason: 'account_closed' as const,
        amount_micros: part.amountMicros,
        currency: plan.currency,
        due_on: dueOn,
        status: 'scheduled' as const,
        created_at: now,
      }));
      await trx.insertInto('refunds').values(rows).execute();
      await this.deps.ledger.post(
        rows.map((row) => ({
          accountId,
          subaccountId: null,
          kind: 'refund' as const,
          amount: money(-row.amount_micros, row.currency),
          idempotencyKey: `refund:${row.payment_id}`,
          causedBy,
          reference: row.id,
          description: 'Refund of a recharge: account closed',
        })),
      );
      for (const row of rows)
        await this.deps.jobs.enqueue(ISSUE_REFUND, { refundId: row.id }, { key: `refund:${row.id}` });
      return { plan, dueOn };
    });
  }

  /** The account's refunds, newest first (its Transactions page and the staff account page). */
  async ofAccount(accountId: string): Promise<RefundView[]> {
    const rows = await executor(this.db)
      .selectFrom('refunds')
      .selectAll()
      .where('account_id', '=', accountId)
      .orderBy('created_at', 'desc')
      .execute();
    return rows.map((row) => ({
      id: row.id,
      paymentId: row.payment_id,
      amount: displayMoney(money(row.amount_micros, row.currency), 'en-US'),
      currency: row.currency,
      dueOn: row.due_on,
      status: row.status,
      failureReason: row.failure_reason,
      issuedAt: row.issued_at,
    }));
  }

  /**
   * Issues a scheduled refund at the gateway that took its recharge (no transaction open while the
   * gateway is asked). A gateway's refusal, or a recharge taken by a gateway this Switchboard no
   * longer uses, fails it at once; other errors are retried, and the last attempt fails it.
   */
  async issue(refundId: string, attempt: number): Promise<void> {
    const refund = await executor(this.db)
      .selectFrom('refunds')
      .innerJoin('payments', 'payments.id', 'refunds.payment_id')
      .leftJoin('payment_methods', 'payment_methods.id', 'payments.payment_method_id')
      .select([
        'refunds.id',
        'refunds.account_id',
        'refunds.gateway',
        'refunds.amount_micros',
        'refunds.currency',
        'refunds.status',
        'payments.gateway_ref',
        'payment_methods.brand',
        'payment_methods.last4',
      ])
      .where('refunds.id', '=', refundId)
      .executeTakeFirst();
    if (refund?.status !== 'scheduled') return;
    const amount = displayMoney(money(refund.amount_micros, refund.currency), 'en-US');
    if (refund.gateway !== this.deps.gateway.name || !refund.gateway_ref) {
      await this.finish(refund.account_id, refundId, 'failed', null, amount, {
        reason: `the recharge was taken by the ${refund.gateway} gateway, which this service no longer uses.`,
      });
      return;
    }
    const amountMinor = minorUnits(refund.amount_micros, minorDigits(refund.currency));
    try {
      if (amountMinor === null) throw new GatewayRefusal('The amount is not a whole number of cents.');
      const answer = await this.deps.gateway.refund({
        paymentRef: refund.gateway_ref,
        amountMinor,
        currency: refund.currency,
        refundId,
        idempotencyKey: `refund:${refundId}`,
      });
      if (answer.status === 'failed')
        throw new GatewayRefusal(answer.failureReason ?? 'The gateway refused it.');
      const card =
        refund.brand && refund.last4
          ? `the ${refund.brand} card ending ${refund.last4}`
          : 'the card that paid it';
      await this.finish(refund.account_id, refundId, 'issued', answer.gatewayRef, amount, { card });
    } catch (error) {
      const final = error instanceof GatewayRefusal || attempt >= ISSUE_RETRY.limit;
      if (!final) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      await this.finish(refund.account_id, refundId, 'failed', null, amount, { reason });
    }
  }

  private async finish(
    accountId: string,
    refundId: string,
    status: 'issued' | 'failed',
    gatewayRef: string | null,
    amount: string,
    told: { card?: string; reason?: string },
  ): Promise<void> {
    await inTransaction(this.db, async (trx) => {
      const moved = await trx
        .updateTable('refunds')
        .set({
          status,
          gateway_ref: gatewayRef,
          failure_reason: told.reason ?? null,
          issued_at: status === 'issued' ? this.deps.clock.now() : null,
        })
        .where('id', '=', refundId)
        .where('status', '=', 'scheduled')
        .executeTakeFirst();
      if (moved.numUpdatedRows === 0n) return;
      await this.deps.audit.record(SYSTEM, {
        action: status === 'issued' ? 'billing.refund_issued' : 'billing.refund_failed',
        accountId,
        details: { refundId, amount, ...(told.reason ? { reason: told.reason } : {}) },
      });
      await this.deps.payments.tell(accountId, (accountName) =>
        status === 'issued'
          ? messages.refundIssued(accountName, amount, told.card ?? 'the card that paid it')
          : messages.refundFailed(accountName, amount, told.reason ?? ''),
      );
    });
  }
}

/** Issues one scheduled refund (enqueued when the account closed). */
export function issueRefundJob(refunds: Pick<Refunds, 'issue'>) {
  return defineJob({
    name: ISSUE_REFUND,
    payload: Type.Object({ refundId: Type.String() }),
    retry: ISSUE_RETRY,
    handle: async ({ refundId }, job) => {
      await refunds.issue(refundId, job.attempt);
    },
  });
}
