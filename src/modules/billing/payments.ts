import { type Db, inTransaction } from '../../db/database.js';
import type { PaymentGatewayName, Role } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { assertThat, Conflict, NotFound, ValidationFailed } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { displayMoney, money, parseMoney } from '../../lib/money.js';
import { messages } from '../../notify/messages.js';
import type { OutgoingMessage } from '../../notify/outbox.js';
import type { Actor, AuditLog } from '../audit/audit.js';
import { membersWithRoles } from '../team/recipients.js';
import { renderReceipt } from './documents.js';
import { PaymentErrors } from './errors.js';
import {
  type GatewayPayment,
  GatewayRefusal,
  minorDigits,
  minorUnits,
  type PaymentGateway,
} from './gateway.js';
import type { Ledger } from './ledger.js';
import { type PaymentRow, PaymentStore } from './payment-store.js';

/** A payment just charged, with what Stripe.js needs when the payer must confirm it (else null). */
export type ChargedPayment = PaymentRow & { clientSecret: string | null };

/** Who is told of payments: Billing's roles (ANSWERS.md, "Roles for money"). */
export const BILLING_ROLES: readonly Role[] = ['owner', 'admin', 'financial_analyst'];

export interface RechargeLimits {
  minMicros: bigint;
  maxMicros: bigint;
}

export interface RechargeInput {
  amount: string;
  paymentMethodId: string;
  /** The console's key for this request: sending it again answers the same payment. */
  requestKey: string;
}

const cardName = (brand: string | null, last4: string | null) =>
  brand && last4 ? `${brand} •••• ${last4}` : 'card';

/**
 * Payments: saved cards and recharges through the configured gateway. A payment is credited to the
 * ledger once (entry key `payment:<id>`), whichever of the gateway's answer, its webhook or the
 * reconciliation job tells of its success first, and never while it is pending; a credited payment
 * that later fails, is refunded or disputed is reversed by one entry (`payment-reversal:<id>`).
 * Every answer from the gateway goes through `apply`, which locks the payment's row.
 */
export class Payments {
  readonly store: PaymentStore;

  constructor(
    private readonly db: Db,
    readonly gateway: PaymentGateway,
    private readonly ledger: Pick<Ledger, 'post'>,
    private readonly outbox: { enqueue(message: OutgoingMessage): Promise<void> },
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly limits: RechargeLimits,
    private readonly publicUrl: string,
  ) {
    this.store = new PaymentStore(db);
  }

  get gatewayName(): PaymentGatewayName {
    return this.gateway.name;
  }

  async methods(accountId: string) {
    return this.store.methods(accountId, this.gateway.name);
  }

  /** The account's customer at the gateway, created with its first card. */
  async customer(accountId: string): Promise<string> {
    const known = await this.store.customerOf(accountId, this.gateway.name);
    if (known) return known;
    const account = await this.store.accountFacts(accountId);
    assertThat(account, NotFound('account_not_found', 'This account does not exist.'));
    const created = await this.gateway.createCustomer({ id: account.id, name: account.name, email: null });
    return this.store.saveCustomer(accountId, this.gateway.name, created);
  }

  async startCardSetup(accountId: string) {
    return this.gateway.startCardSetup(await this.customer(accountId));
  }

  /** Saves the card the gateway collected (`proof`: its card token or SetupIntent id). Audited. */
  async addCard(actor: Actor, accountId: string, proof: string) {
    const customerRef = await this.customer(accountId);
    const card = await this.refusalsAsErrors(() => this.gateway.completeCardSetup(customerRef, proof));
    return inTransaction(this.db, async () => {
      const method = await this.store.addMethod({
        id: newId(),
        account_id: accountId,
        gateway: this.gateway.name,
        gateway_ref: card.gatewayRef,
        brand: card.brand,
        last4: card.last4,
        exp_month: card.expMonth,
        exp_year: card.expYear,
        added_by: actor.userId ? `member:${actor.userId}` : 'system',
      });
      await this.audit.record(actor, {
        action: 'billing.payment_method_added',
        accountId,
        details: { paymentMethodId: method.id, card: cardName(card.brand, card.last4) },
      });
      return method;
    });
  }

  /** Removes a saved card, unless auto-recharge charges it. Audited (with the reason, when a rule removed it). */
  async removeCard(actor: Actor, accountId: string, methodId: string, reason?: string): Promise<void> {
    await inTransaction(this.db, async (trx) => {
      const usedBy = await trx
        .selectFrom('auto_recharge_settings')
        .select('account_id')
        .where('account_id', '=', accountId)
        .where('payment_method_id', '=', methodId)
        .where('enabled', '=', true)
        .executeTakeFirst();
      assertThat(
        !usedBy,
        Conflict(
          PaymentErrors.methodInUse,
          'Auto-recharge charges this card: choose another card for auto-recharge, or turn it off, first.',
        ),
      );
      const removed = await this.store.removeMethod(accountId, methodId);
      assertThat(removed, NotFound(PaymentErrors.methodNotFound, 'This account has no such saved card.'));
      await this.audit.record(actor, {
        action: 'billing.payment_method_removed',
        accountId,
        details: reason ? { paymentMethodId: methodId, reason } : { paymentMethodId: methodId },
      });
    });
  }

  /** Checks a recharge amount: a number with at most the currency's minor digits, within the operator's limits. */
  amountOf(text: string, currency: string): bigint {
    const micros = parseMoney(text);
    const digits = minorDigits(currency);
    const shown = (value: bigint) => displayMoney(money(value, currency), 'en-US');
    assertThat(
      micros !== null && minorUnits(micros, digits) !== null,
      ValidationFailed(
        PaymentErrors.invalidAmount,
        `Give the amount in ${currency} with at most ${digits} decimals, such as 50${digits ? `.${'0'.repeat(digits)}` : ''}.`,
        [{ field: 'amount', message: 'not an amount' }],
      ),
    );
    assertThat(
      micros >= this.limits.minMicros && micros <= this.limits.maxMicros,
      ValidationFailed(
        PaymentErrors.amountOutOfRange,
        `A recharge is from ${shown(this.limits.minMicros)} to ${shown(this.limits.maxMicros)}.`,
        [{ field: 'amount', message: 'out of range' }],
      ),
    );
    return micros;
  }

  /**
   * Recharge now: records the payment (a repeated request key answers the same payment), charges
   * the card, and credits the ledger once the gateway says it succeeded. A card that asks for a
   * confirmation step answers `requires_action` with where to confirm. Audited.
   */
  async recharge(actor: Actor, accountId: string, input: RechargeInput): Promise<ChargedPayment> {
    const earlier = await this.store.paymentByRequestKey(accountId, input.requestKey);
    if (earlier) return { ...earlier, clientSecret: null };
    const account = await this.store.accountFacts(accountId);
    assertThat(account, NotFound('account_not_found', 'This account does not exist.'));
    const amountMicros = this.amountOf(input.amount, account.currency);
    const method = await this.store.method(accountId, input.paymentMethodId);
    assertThat(
      method && method.gateway === this.gateway.name,
      NotFound(PaymentErrors.methodNotFound, 'This account has no such saved card: add the card first.'),
    );
    const payment = await inTransaction(this.db, async () => {
      const inserted = await this.store.insertPayment({
        id: newId(),
        account_id: accountId,
        payment_method_id: method.id,
        purpose: 'recharge',
        gateway: this.gateway.name,
        gateway_ref: null,
        amount_micros: amountMicros,
        currency: account.currency,
        status: 'pending',
        failure_reason: null,
        action_url: null,
        requested_by: actor.userId ? `member:${actor.userId}` : 'system',
        request_key: input.requestKey,
        credited_at: null,
        reversed_at: null,
        reversal_reason: null,
      });
      if (!inserted) return undefined;
      await this.audit.record(actor, {
        action: 'billing.recharge_requested',
        accountId,
        details: {
          paymentId: inserted.id,
          amountMicros: amountMicros.toString(),
          currency: account.currency,
        },
      });
      return inserted;
    });
    // Another request with the same key got there first: answer its payment.
    if (!payment)
      return {
        ...((await this.store.paymentByRequestKey(accountId, input.requestKey)) as PaymentRow),
        clientSecret: null,
      };
    return this.charge(payment, payment.id, false);
  }

  /**
   * Asks the gateway to charge the payment's card (again, with the same key, when `idempotencyKey`
   * repeats) and applies its answer. A refusal fails the payment; an unreachable gateway leaves it
   * pending for the reconciliation job.
   */
  async charge(payment: PaymentRow, idempotencyKey: string, offSession: boolean): Promise<ChargedPayment> {
    const method = payment.payment_method_id
      ? await this.store.method(payment.account_id, payment.payment_method_id)
      : undefined;
    const amountMinor = minorUnits(payment.amount_micros, minorDigits(payment.currency));
    if (!method || amountMinor === null) {
      const failed = await this.apply(payment.id, {
        gatewayRef: payment.gateway_ref ?? '',
        status: 'failed',
        failureReason: method ? 'The amount is not whole cents.' : 'The saved card was removed.',
        actionUrl: null,
        clientSecret: null,
      });
      return { ...failed, clientSecret: null };
    }
    let answer: GatewayPayment;
    try {
      answer = await this.gateway.charge({
        customerRef: await this.customer(payment.account_id),
        methodRef: method.gateway_ref,
        amountMinor,
        currency: payment.currency,
        paymentId: payment.id,
        idempotencyKey,
        offSession,
        returnUrl: `${this.publicUrl}/billing/payment-settings?payment=${payment.id}`,
      });
    } catch (error) {
      if (!(error instanceof GatewayRefusal)) throw error;
      answer = {
        gatewayRef: payment.gateway_ref ?? '',
        status: 'failed',
        failureReason: error.message,
        actionUrl: null,
        clientSecret: null,
      };
    }
    return { ...(await this.apply(payment.id, answer)), clientSecret: answer.clientSecret };
  }

  /**
   * What the gateway says of a payment, applied once whatever the order and however often it is
   * said: credited when it succeeded (once), reversed when it failed, was refunded or disputed after
   * being credited (once), never moved back to pending. Emails the billing members in the same
   * transaction. Answers the payment as it now is.
   */
  async apply(paymentId: string, answer: GatewayPayment): Promise<PaymentRow> {
    return inTransaction(this.db, async () => {
      const payment = await this.store.payment(paymentId, true);
      assertThat(payment, NotFound(PaymentErrors.paymentNotFound, 'No such payment.'));
      const gatewayRef = answer.gatewayRef || payment.gateway_ref;
      const changes: Partial<Omit<PaymentRow, 'id' | 'number' | 'created_at'>> =
        gatewayRef !== payment.gateway_ref ? { gateway_ref: gatewayRef } : {};
      const now = this.clock.now();
      const money_ = money(payment.amount_micros, payment.currency);
      if (answer.status === 'succeeded' && !payment.credited_at) {
        const method = payment.payment_method_id
          ? await this.store.method(payment.account_id, payment.payment_method_id)
          : undefined;
        await this.ledger.post([
          {
            accountId: payment.account_id,
            subaccountId: null,
            kind: 'recharge',
            amount: money_,
            idempotencyKey: `payment:${payment.id}`,
            causedBy: payment.requested_by,
            reference: payment.id,
            description: `${payment.purpose === 'auto_recharge' ? 'Auto-recharge' : 'Recharge'} by ${cardName(method?.brand ?? null, method?.last4 ?? null)}`,
          },
        ]);
        Object.assign(changes, {
          status: 'succeeded',
          credited_at: now,
          failure_reason: null,
          action_url: null,
        });
        await this.tell(payment.account_id, (account, name) =>
          messages.paymentReceived(
            name,
            account,
            displayMoney(money_, 'en-US'),
            `${this.publicUrl}/api/billing/payments/${payment.id}/receipt.pdf`,
          ),
        );
      } else if ((answer.status === 'failed' || answer.status === 'reversed') && payment.credited_at) {
        // A refund Switchboard made (a closed account's) moved its money already: it is no reversal.
        if (!payment.reversed_at && !(await this.store.refundedBySwitchboard(payment.id))) {
          const reason =
            answer.status === 'reversed'
              ? (answer.failureReason ?? 'The payment was refunded or disputed.')
              : (answer.failureReason ?? 'The payment failed after it was credited.');
          await this.ledger.post([
            {
              accountId: payment.account_id,
              subaccountId: null,
              kind: 'reversal',
              amount: money(-payment.amount_micros, payment.currency),
              idempotencyKey: `payment-reversal:${payment.id}`,
              causedBy: `gateway:${payment.gateway}`,
              reference: payment.id,
              description: `Payment ${payment.number} reversed: ${reason}`,
            },
          ]);
          Object.assign(changes, { reversed_at: now, reversal_reason: reason });
        }
      } else if (
        (answer.status === 'failed' || answer.status === 'reversed') &&
        payment.status !== 'failed' &&
        !payment.credited_at
      ) {
        Object.assign(changes, { status: 'failed', failure_reason: answer.failureReason, action_url: null });
        if (payment.purpose === 'recharge')
          await this.tell(payment.account_id, (account, name) =>
            messages.paymentFailed(name, account, displayMoney(money_, 'en-US'), answer.failureReason ?? ''),
          );
      } else if (answer.status === 'requires_action' && payment.status === 'pending') {
        Object.assign(changes, { status: 'requires_action', action_url: answer.actionUrl });
      }
      if (Object.keys(changes).length > 0) await this.store.updatePayment(payment.id, changes);
      return { ...payment, ...changes } as PaymentRow;
    });
  }

  /** Asks the gateway about a payment it knows and applies the answer (webhooks and reconciliation). */
  async refresh(payment: PaymentRow): Promise<PaymentRow> {
    if (!payment.gateway_ref) return this.charge(payment, payment.id, payment.purpose === 'auto_recharge');
    const answer = await this.refusalsAsErrors(() => this.gateway.retrieve(payment.gateway_ref as string));
    return this.apply(payment.id, answer);
  }

  /** A gateway's event named this payment (by its reference or our id): asks the gateway and applies. */
  async onGatewayEvent(reference: {
    gatewayRef?: string;
    paymentId?: string;
  }): Promise<PaymentRow | undefined> {
    const payment =
      (reference.gatewayRef
        ? await this.store.paymentByGatewayRef(this.gateway.name, reference.gatewayRef)
        : undefined) ?? (reference.paymentId ? await this.store.payment(reference.paymentId) : undefined);
    if (!payment) return undefined;
    if (!reference.gatewayRef || reference.gatewayRef === payment.gateway_ref) return this.refresh(payment);
    const answer = await this.refusalsAsErrors(() => this.gateway.retrieve(reference.gatewayRef as string));
    // Before the gateway's answer to the charge was recorded, its event tells the reference; an event
    // of an earlier attempt (auto-recharge charges anew on each retry) counts only when it succeeded.
    if (!payment.gateway_ref || answer.status === 'succeeded') return this.apply(payment.id, answer);
    return payment;
  }

  /** The reconciliation job: payments still waiting on the gateway after a minute are asked about again. */
  async reconcile(): Promise<number> {
    const stalled = await this.store.stalled(new Date(this.clock.now().getTime() - 60_000), 100);
    for (const payment of stalled) await this.refresh(payment);
    return stalled.length;
  }

  async history(accountId: string, limit = 50) {
    return this.store.history(accountId, limit);
  }

  async payment(accountId: string, paymentId: string) {
    const payment = await this.store.paymentOfAccount(accountId, paymentId);
    assertThat(payment, NotFound(PaymentErrors.paymentNotFound, 'This account has no such payment.'));
    return payment;
  }

  /**
   * The receipt of a credited payment (PDF): amount, card, the gateway's id and the balance right
   * after the credit (the ledger's sum up to its entry). A payment not credited has none.
   */
  async receipt(
    accountId: string,
    paymentId: string,
    operatorName: string,
  ): Promise<{ fileName: string; pdf: Buffer }> {
    const payment = await this.payment(accountId, paymentId);
    assertThat(
      payment.credited_at,
      Conflict(PaymentErrors.noReceipt, 'This payment was not received, so it has no receipt.'),
    );
    const facts = await this.store.receiptFacts(accountId, payment.id);
    const number = `R-${payment.number.toString().padStart(6, '0')}`;
    const pdf = await renderReceipt({
      operatorName,
      receiptNumber: number,
      accountName: facts.accountName,
      authId: facts.authId,
      paidAt: payment.credited_at,
      timeZone: facts.timeZone,
      amount: money(payment.amount_micros, payment.currency),
      paymentMethod: cardName(facts.brand, facts.last4),
      gatewayPaymentId: payment.gateway_ref ?? payment.id,
      newBalance: money(facts.balanceAfterMicros, payment.currency),
    });
    return { fileName: `receipt-${number}.pdf`, pdf };
  }

  /** Emails every billing member of the account (through the outbox, in the caller's transaction). */
  async tell(
    accountId: string,
    compose: (accountName: string, memberName: string) => { subject: string; text: string },
  ): Promise<void> {
    const account = await this.store.accountFacts(accountId);
    if (!account) return;
    for (const member of await membersWithRoles(this.db, accountId, BILLING_ROLES))
      await this.outbox.enqueue({
        channel: 'email',
        to: member.email,
        ...compose(account.name, member.name),
      });
  }

  private async refusalsAsErrors<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof GatewayRefusal)
        throw ValidationFailed(PaymentErrors.gatewayRefused, error.message);
      throw error;
    }
  }
}
