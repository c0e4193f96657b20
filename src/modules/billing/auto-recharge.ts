import { Type } from '@sinclair/typebox';
import { sql } from 'kysely';
import { type Db, executor, inTransaction } from '../../db/database.js';
import type { EventBus } from '../../events/bus.js';
import type { EventPayload } from '../../events/catalog.js';
import { defineJob, type JobRun } from '../../jobs/definition.js';
import type { Jobs } from '../../jobs/runner.js';
import type { Clock } from '../../lib/clock.js';
import { assertThat, ValidationFailed } from '../../lib/errors.js';
import { displayMoney, money, parseMoney } from '../../lib/money.js';
import { messages } from '../../notify/messages.js';
import type { Actor, AuditLog } from '../audit/audit.js';
import { PaymentErrors } from './errors.js';
import { minorDigits, minorUnits } from './gateway.js';
import type { Payments, RechargeLimits } from './payments.js';

/** Auto-recharge as Billing > Payment Settings shows and saves it (amounts in units, e.g. "50.00"). */
export interface AutoRechargeInput {
  enabled: boolean;
  threshold: string;
  /** fixed: recharge `amount` each time; target: recharge up to a balance of `amount`. */
  mode: 'fixed' | 'target';
  amount: string;
  dailyCap: string;
  monthlyCap: string;
  paymentMethodId: string | null;
}

export interface AutoRechargeSettings {
  enabled: boolean;
  thresholdMicros: bigint;
  mode: 'fixed' | 'target';
  amountMicros: bigint;
  dailyCapMicros: bigint;
  monthlyCapMicros: bigint;
  paymentMethodId: string | null;
  consecutiveFailures: number;
}

export const AUTO_RECHARGE_JOB = 'billing.auto-recharge';

/** Thrown to have the jobs runner try a failed auto-recharge again, after its backoff. */
class TryAgain extends Error {}

/**
 * Auto-recharge: when a debit takes a main account's balance below its threshold, one recharge is
 * started — one, however many debits cross at once: the crossing is seen by the one posting that
 * moved the balance across (balance rows are locked), and the partial unique index
 * payments_one_auto_recharge admits one auto-recharge in flight per account. The job sizes it when
 * it runs (a fixed amount, or the whole shortfall to the target), refuses it when it would pass the
 * daily or monthly cap (the billing members are told why), charges the saved card off-session, and
 * retries a failure with backoff, emailing each failure; after the operator's number of consecutive
 * failures it stops and publishes `billing.payment_failed`.
 */
export class AutoRecharge {
  constructor(
    private readonly db: Db,
    private readonly payments: Payments,
    private readonly jobs: Pick<Jobs, 'enqueue'>,
    private readonly events: Pick<EventBus, 'publish'>,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly limits: RechargeLimits,
    private readonly maxFailures: number,
  ) {}

  async settings(accountId: string): Promise<AutoRechargeSettings | undefined> {
    const row = await executor(this.db)
      .selectFrom('auto_recharge_settings')
      .selectAll()
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      enabled: row.enabled,
      thresholdMicros: row.threshold_micros,
      mode: row.mode,
      amountMicros: row.amount_micros,
      dailyCapMicros: row.daily_cap_micros,
      monthlyCapMicros: row.monthly_cap_micros,
      paymentMethodId: row.payment_method_id,
      consecutiveFailures: row.consecutive_failures,
    };
  }

  /**
   * Saves the settings (checked; the failure count starts again) and, when auto-recharge is on and
   * the balance is already below the threshold, starts a recharge at once. Audited.
   */
  /** Turns auto-recharge off (the inactive account policy), keeping its other settings. Audited; false when it was off. */
  async turnOff(actor: Actor, accountId: string, reason: string): Promise<boolean> {
    return inTransaction(this.db, async (trx) => {
      const result = await trx
        .updateTable('auto_recharge_settings')
        .set({ enabled: false, updated_by: 'system', updated_at: this.clock.now() })
        .where('account_id', '=', accountId)
        .where('enabled', '=', true)
        .returning('account_id')
        .execute();
      if (result.length === 0) return false;
      await this.audit.record(actor, {
        action: 'billing.auto_recharge_changed',
        accountId,
        details: { enabled: false, reason },
      });
      return true;
    });
  }

  async save(actor: Actor, accountId: string, input: AutoRechargeInput): Promise<AutoRechargeSettings> {
    const account = await this.payments.store.accountFacts(accountId);
    assertThat(account, ValidationFailed('account_not_found', 'This account does not exist.'));
    const problems: { field: string; message: string }[] = [];
    const amount = (field: keyof AutoRechargeInput, text: string, allowZero = false) => {
      const micros = parseMoney(text);
      const whole = micros !== null && minorUnits(micros, minorDigits(account.currency)) !== null;
      if (!whole || (!allowZero && micros === 0n)) {
        problems.push({ field, message: `an amount in ${account.currency}, such as 50.00` });
        return 0n;
      }
      return micros as bigint;
    };
    const threshold = amount('threshold', input.threshold, true);
    const target = amount('amount', input.amount);
    const dailyCap = amount('dailyCap', input.dailyCap);
    const monthlyCap = amount('monthlyCap', input.monthlyCap);
    const shown = (micros: bigint) => displayMoney(money(micros, account.currency), 'en-US');
    if (input.mode === 'target' && target <= threshold)
      problems.push({
        field: 'amount',
        message: `recharge up to more than the threshold (${shown(threshold)})`,
      });
    if (input.mode === 'fixed' && (target < this.limits.minMicros || target > this.limits.maxMicros))
      problems.push({
        field: 'amount',
        message: `from ${shown(this.limits.minMicros)} to ${shown(this.limits.maxMicros)}`,
      });
    if (monthlyCap < dailyCap) problems.push({ field: 'monthlyCap', message: 'at least the daily cap' });
    if (input.enabled && !input.paymentMethodId)
      problems.push({ field: 'paymentMethodId', message: 'choose the card to charge' });
    if (input.paymentMethodId && !(await this.payments.store.method(accountId, input.paymentMethodId)))
      problems.push({ field: 'paymentMethodId', message: 'not a card saved on this account' });
    assertThat(
      problems.length === 0,
      ValidationFailed(
        PaymentErrors.invalidAutoRecharge,
        `Check auto-recharge: ${problems.map((p) => `${p.field} (${p.message})`).join('; ')}.`,
        problems,
      ),
    );
    const row = {
      enabled: input.enabled,
      threshold_micros: threshold,
      mode: input.mode,
      amount_micros: target,
      daily_cap_micros: dailyCap,
      monthly_cap_micros: monthlyCap,
      payment_method_id: input.paymentMethodId,
      consecutive_failures: 0,
      updated_by: actor.userId ? `member:${actor.userId}` : 'system',
      updated_at: this.clock.now(),
    };
    await inTransaction(this.db, async (trx) => {
      await trx
        .insertInto('auto_recharge_settings')
        .values({ account_id: accountId, ...row })
        .onConflict((conflict) => conflict.column('account_id').doUpdateSet(row))
        .execute();
      await this.audit.record(actor, {
        action: 'billing.auto_recharge_changed',
        accountId,
        details: {
          enabled: input.enabled,
          threshold: input.threshold,
          mode: input.mode,
          amount: input.amount,
          dailyCap: input.dailyCap,
          monthlyCap: input.monthlyCap,
          paymentMethodId: input.paymentMethodId,
        },
      });
      const { balance_micros: balance } = await trx
        .selectFrom('accounts')
        .select('balance_micros')
        .where('id', '=', accountId)
        .executeTakeFirstOrThrow();
      if (input.enabled && balance < threshold) await this.start([accountId]);
    });
    return (await this.settings(accountId)) as AutoRechargeSettings;
  }

  /**
   * In the transaction of every posting: the accounts whose balance this posting took from at or
   * above their threshold to below it get one auto-recharge started. No query unless a balance fell.
   */
  async onBalancesChanged(event: EventPayload<'ledger.balances_changed'>): Promise<void> {
    const fell = event.changes.filter((change) => BigInt(change.afterMicros) < BigInt(change.beforeMicros));
    if (fell.length === 0) return;
    const { rows } = await sql<{ account_id: string }>`
      SELECT s.account_id
      FROM unnest(${fell.map((c) => c.accountId)}::uuid[], ${fell.map((c) => c.beforeMicros)}::bigint[],
                  ${fell.map((c) => c.afterMicros)}::bigint[]) AS c(account_id, before, after)
      JOIN auto_recharge_settings s ON s.account_id = c.account_id
      WHERE s.enabled AND c.before >= s.threshold_micros AND c.after < s.threshold_micros`.execute(
      executor(this.db),
    );
    if (rows.length > 0) await this.start(rows.map((row) => row.account_id));
  }

  /** Records one pending auto-recharge per account (none where one is in flight) and enqueues its job. */
  private async start(accountIds: string[]): Promise<void> {
    const { rows } = await sql<{ id: string }>`
      INSERT INTO payments (id, account_id, payment_method_id, purpose, gateway, amount_micros, currency,
        status, requested_by)
      SELECT gen_random_uuid(), s.account_id, s.payment_method_id, 'auto_recharge', ${this.payments.gatewayName},
        0, a.currency, 'pending', 'auto-recharge'
      FROM auto_recharge_settings s JOIN accounts a ON a.id = s.account_id
      WHERE s.account_id = ANY(${accountIds}::uuid[]) AND s.enabled AND s.payment_method_id IS NOT NULL
        AND s.consecutive_failures < ${this.maxFailures}
      ORDER BY s.account_id
      ON CONFLICT DO NOTHING
      RETURNING id`.execute(executor(this.db));
    for (const { id } of rows)
      await this.jobs.enqueue(AUTO_RECHARGE_JOB, { paymentId: id }, { key: `auto-recharge:${id}` });
  }

  /** The job: sizes, checks the caps, charges, and retries or gives up. */
  async run(paymentId: string, job: JobRun): Promise<void> {
    const payment = await this.payments.store.payment(paymentId);
    if (payment?.status !== 'pending') return;
    const settings = await this.settings(payment.account_id);
    if (!settings?.enabled || !settings.paymentMethodId)
      return this.refuse(paymentId, 'auto-recharge was turned off.', false);
    const sized = payment.amount_micros > 0n ? payment.amount_micros : await this.size(paymentId, settings);
    if (sized === null) return;
    const cap = await this.capProblem(payment.account_id, paymentId, sized, settings);
    if (cap) return this.refuse(paymentId, cap, true);
    const charged = await this.payments.charge(
      { ...payment, amount_micros: sized, payment_method_id: settings.paymentMethodId },
      `${paymentId}:${job.attempt}`,
      true,
    );
    if (charged.status === 'succeeded') {
      await executor(this.db)
        .updateTable('auto_recharge_settings')
        .set({ consecutive_failures: 0 })
        .where('account_id', '=', payment.account_id)
        .execute();
      return;
    }
    if (charged.status === 'pending') throw new TryAgain('The gateway has not answered yet; asking again.');
    await this.failed(paymentId, charged.failure_reason ?? 'The card could not be charged.');
  }

  /** The amount to charge: the fixed amount, or the shortfall to the target (at least the smallest recharge). */
  private async size(paymentId: string, settings: AutoRechargeSettings): Promise<bigint | null> {
    return inTransaction(this.db, async (trx) => {
      const payment = await this.payments.store.payment(paymentId, true);
      if (payment?.status !== 'pending') return null;
      if (payment.amount_micros > 0n) return payment.amount_micros;
      const { balance_micros: balance } = await trx
        .selectFrom('accounts')
        .select('balance_micros')
        .where('id', '=', payment.account_id)
        .executeTakeFirstOrThrow();
      let amount = settings.mode === 'fixed' ? settings.amountMicros : settings.amountMicros - balance;
      if (amount <= 0n) {
        await this.payments.store.updatePayment(paymentId, {
          status: 'refused',
          failure_reason: 'The balance had reached the target already.',
        });
        return null;
      }
      // Whole cents, rounded up so the shortfall is closed, and at least the smallest recharge.
      const step = 10n ** BigInt(6 - minorDigits(payment.currency));
      amount = ((amount + step - 1n) / step) * step;
      if (amount < this.limits.minMicros) amount = this.limits.minMicros;
      await this.payments.store.updatePayment(paymentId, { amount_micros: amount });
      return amount;
    });
  }

  /** Why this recharge would pass a cap (auto-recharges charged or in flight today and this month, in the account's zone), or null. */
  private async capProblem(
    accountId: string,
    paymentId: string,
    amount: bigint,
    settings: AutoRechargeSettings,
  ): Promise<string | null> {
    const { rows } = await sql<{ today: bigint; month: bigint; currency: string }>`
      SELECT
        coalesce(sum(p.amount_micros) FILTER (WHERE (p.created_at AT TIME ZONE a.timezone)::date
          = (now() AT TIME ZONE a.timezone)::date), 0)::bigint AS today,
        coalesce(sum(p.amount_micros) FILTER (WHERE date_trunc('month', p.created_at AT TIME ZONE a.timezone)
          = date_trunc('month', now() AT TIME ZONE a.timezone)), 0)::bigint AS month,
        min(a.currency) AS currency
      FROM accounts a LEFT JOIN payments p ON p.account_id = a.id AND p.purpose = 'auto_recharge'
        AND p.id <> ${paymentId} AND (p.status IN ('pending', 'requires_action')
          OR (p.status = 'succeeded' AND p.reversed_at IS NULL))
      WHERE a.id = ${accountId}`.execute(executor(this.db));
    const spent = rows[0] as { today: bigint; month: bigint; currency: string };
    const shown = (micros: bigint) => displayMoney(money(micros, spent.currency), 'en-US');
    if (spent.today + amount > settings.dailyCapMicros)
      return `it would take today's auto-recharges to ${shown(spent.today + amount)}, over the daily cap of ${shown(settings.dailyCapMicros)}.`;
    if (spent.month + amount > settings.monthlyCapMicros)
      return `it would take this month's auto-recharges to ${shown(spent.month + amount)}, over the monthly cap of ${shown(settings.monthlyCapMicros)}.`;
    return null;
  }

  private async refuse(paymentId: string, why: string, tell: boolean): Promise<void> {
    await inTransaction(this.db, async () => {
      const payment = await this.payments.store.payment(paymentId, true);
      if (payment?.status !== 'pending') return;
      await this.payments.store.updatePayment(paymentId, { status: 'refused', failure_reason: why });
      if (tell)
        await this.payments.tell(payment.account_id, (account, name) =>
          messages.autoRechargeRefused(
            name,
            account,
            displayMoney(money(payment.amount_micros, payment.currency), 'en-US'),
            why,
          ),
        );
    });
  }

  /**
   * A charge failed: counted, the billing members told; tried again (the payment stays the one in
   * flight) until the operator's number of consecutive failures, then `billing.payment_failed`.
   */
  private async failed(paymentId: string, reason: string): Promise<void> {
    const retry = await inTransaction(this.db, async (trx) => {
      const payment = await this.payments.store.payment(paymentId, true);
      if (!payment || payment.credited_at) return false;
      const { consecutive_failures: failures } = await trx
        .updateTable('auto_recharge_settings')
        .set((eb) => ({ consecutive_failures: eb('consecutive_failures', '+', 1) }))
        .where('account_id', '=', payment.account_id)
        .returning('consecutive_failures')
        .executeTakeFirstOrThrow();
      const again = failures < this.maxFailures;
      await this.payments.store.updatePayment(paymentId, {
        status: again ? 'pending' : 'failed',
        failure_reason: reason,
        action_url: null,
      });
      const amount = displayMoney(money(payment.amount_micros, payment.currency), 'en-US');
      const next = again
        ? `We will try again shortly (attempt ${failures + 1} of ${this.maxFailures}).`
        : `That was the ${this.maxFailures}th failure in a row: auto-recharge stops trying until its settings are saved again.`;
      await this.payments.tell(payment.account_id, (account, name) =>
        messages.autoRechargeFailed(name, account, amount, reason, next),
      );
      if (!again)
        await this.events.publish('billing.payment_failed', {
          accountId: payment.account_id,
          consecutiveFailures: failures,
          reason,
        });
      return again;
    });
    if (retry) throw new TryAgain(`Auto-recharge failed: ${reason}`);
  }
}

/** The auto-recharge job: retried with backoff (1, 2, 4 … minutes) while failures stay under the operator's limit. */
export function autoRechargeJob(autoRecharge: Pick<AutoRecharge, 'run'>, maxFailures: number) {
  return defineJob({
    name: AUTO_RECHARGE_JOB,
    payload: Type.Object({ paymentId: Type.String() }),
    retry: { limit: maxFailures + 5, backoffSeconds: 60 },
    handle: async ({ paymentId }, job) => autoRecharge.run(paymentId, job),
  });
}
