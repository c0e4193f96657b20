import { randomBytes } from 'node:crypto';
import { type Db, executor, inTransaction } from '../../db/database.js';
import type { TestGatewayCardsTable } from '../../db/schema.js';
import {
  type CardSetup,
  type ChargeRequest,
  type GatewayPayment,
  type GatewayRefund,
  GatewayRefusal,
  type PaymentGateway,
  type RefundRequest,
  type SavedCard,
} from './gateway.js';

/**
 * The test cards the built-in test gateway knows (README, "Payments"): what a card does when it is
 * charged. Any expiry in the future and any CVC are accepted; other numbers are refused.
 */
export const TEST_CARDS: Record<string, { brand: string; behaviour: TestGatewayCardsTable['behaviour'] }> = {
  '4242424242424242': { brand: 'Visa', behaviour: 'succeed' },
  '5555555555554444': { brand: 'Mastercard', behaviour: 'succeed' },
  '4000000000000002': { brand: 'Visa', behaviour: 'decline' },
  '4000002500003155': { brand: 'Visa', behaviour: 'confirm' },
  '4000000000000341': { brand: 'Visa', behaviour: 'fail_charges' },
};

const ref = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;

export interface TestCardInput {
  customerRef: string;
  number: string;
  expMonth: number;
  expYear: number;
  cvc: string;
}

/**
 * The built-in test gateway: a real driver of the gateway interface that keeps its own cards and
 * payments in its own tables, as a gateway would, and serves its own confirmation page
 * (`/test-gateway/confirm/…`, test-gateway-routes.ts) for the card that asks for one. Card numbers
 * go to the test gateway's endpoint, never to Switchboard's API, as with Stripe.
 */
export class TestGateway implements PaymentGateway {
  readonly name = 'test' as const;

  constructor(
    private readonly db: Db,
    private readonly publicUrl: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async createCustomer(): Promise<string> {
    return ref('tgcus');
  }

  async startCardSetup(customerRef: string): Promise<CardSetup> {
    return { gateway: 'test', customerRef };
  }

  /** The test gateway's card form: answers a card token for `completeCardSetup`. */
  async addCard(input: TestCardInput): Promise<string> {
    const number = input.number.replace(/[\s-]/g, '');
    const known = TEST_CARDS[number];
    if (!known)
      throw new GatewayRefusal(
        `The test gateway takes only its test card numbers: ${Object.keys(TEST_CARDS).join(', ')} (README, "Payments").`,
      );
    const today = this.now();
    const expired =
      input.expYear < today.getUTCFullYear() ||
      (input.expYear === today.getUTCFullYear() && input.expMonth < today.getUTCMonth() + 1);
    if (!Number.isInteger(input.expMonth) || input.expMonth < 1 || input.expMonth > 12 || expired)
      throw new GatewayRefusal('The card has expired: give an expiry month and year in the future.');
    if (!/^[0-9]{3,4}$/.test(input.cvc))
      throw new GatewayRefusal('The CVC is the 3 or 4 digits on the card.');
    const cardRef = ref('tgcard');
    await executor(this.db)
      .insertInto('test_gateway_cards')
      .values({
        ref: cardRef,
        customer_ref: input.customerRef,
        last4: number.slice(-4),
        brand: known.brand,
        exp_month: input.expMonth,
        exp_year: input.expYear,
        behaviour: known.behaviour,
      })
      .execute();
    return cardRef;
  }

  async completeCardSetup(customerRef: string, proof: string): Promise<SavedCard> {
    const card = await executor(this.db)
      .selectFrom('test_gateway_cards')
      .selectAll()
      .where('ref', '=', proof)
      .where('customer_ref', '=', customerRef)
      .executeTakeFirst();
    if (!card)
      throw new GatewayRefusal('The test gateway has no such card for this account: add the card again.');
    return {
      gatewayRef: card.ref,
      brand: card.brand,
      last4: card.last4,
      expMonth: card.exp_month,
      expYear: card.exp_year,
    };
  }

  async charge(request: ChargeRequest): Promise<GatewayPayment> {
    const db = executor(this.db);
    const earlier = await db
      .selectFrom('test_gateway_intents')
      .selectAll()
      .where('idempotency_key', '=', request.idempotencyKey)
      .executeTakeFirst();
    if (earlier) return this.view(earlier);
    const card = await db
      .selectFrom('test_gateway_cards')
      .selectAll()
      .where('ref', '=', request.methodRef)
      .where('customer_ref', '=', request.customerRef)
      .executeTakeFirst();
    if (!card) throw new GatewayRefusal('The test gateway has no such card for this account.');
    const outcome: Pick<GatewayPayment, 'status' | 'failureReason'> =
      card.behaviour === 'succeed'
        ? { status: 'succeeded', failureReason: null }
        : card.behaviour === 'confirm' && !request.offSession
          ? { status: 'requires_action', failureReason: null }
          : {
              status: 'failed',
              failureReason:
                card.behaviour === 'confirm'
                  ? 'The card asks the cardholder to confirm each payment, which an automatic recharge cannot do.'
                  : 'Your card was declined.',
            };
    const row = await db
      .insertInto('test_gateway_intents')
      .values({
        ref: ref('tgpay'),
        card_ref: card.ref,
        idempotency_key: request.idempotencyKey,
        amount_minor: request.amountMinor,
        currency: request.currency,
        payment_id: request.paymentId,
        status: outcome.status as 'succeeded' | 'requires_action' | 'failed',
        failure_reason: outcome.failureReason,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return this.view(row);
  }

  async retrieve(gatewayRef: string): Promise<GatewayPayment> {
    const row = await executor(this.db)
      .selectFrom('test_gateway_intents')
      .selectAll()
      .where('ref', '=', gatewayRef)
      .executeTakeFirst();
    if (!row) throw new GatewayRefusal(`The test gateway has no payment ${gatewayRef}.`);
    return this.view(row);
  }

  /** Refunds part of a succeeded payment, once per idempotency key; all of it makes the payment `refunded`. */
  async refund(request: RefundRequest): Promise<GatewayRefund> {
    return inTransaction(this.db, async (trx) => {
      const earlier = await trx
        .selectFrom('test_gateway_refunds')
        .select('ref')
        .where('idempotency_key', '=', request.idempotencyKey)
        .executeTakeFirst();
      if (earlier) return { gatewayRef: earlier.ref, status: 'succeeded', failureReason: null };
      const intent = await trx
        .selectFrom('test_gateway_intents')
        .selectAll()
        .where('ref', '=', request.paymentRef)
        .forUpdate()
        .executeTakeFirst();
      if (intent?.status !== 'succeeded' || intent.currency !== request.currency)
        throw new GatewayRefusal(
          `The test gateway has no succeeded payment ${request.paymentRef} to refund.`,
        );
      const refunded = intent.amount_refunded_minor + request.amountMinor;
      if (refunded > intent.amount_minor)
        throw new GatewayRefusal(
          `The test gateway cannot refund ${request.amountMinor}: only ${intent.amount_minor - intent.amount_refunded_minor} of payment ${request.paymentRef} is left.`,
        );
      const { ref: refundRef } = await trx
        .insertInto('test_gateway_refunds')
        .values({
          ref: ref('tgre'),
          intent_ref: intent.ref,
          idempotency_key: request.idempotencyKey,
          amount_minor: request.amountMinor,
        })
        .returning('ref')
        .executeTakeFirstOrThrow();
      await trx
        .updateTable('test_gateway_intents')
        .set({
          amount_refunded_minor: refunded,
          ...(refunded === intent.amount_minor ? { status: 'refunded' as const } : {}),
        })
        .where('ref', '=', intent.ref)
        .execute();
      return { gatewayRef: refundRef, status: 'succeeded', failureReason: null };
    });
  }

  /** The confirmation page's facts: what is being paid. */
  async intent(gatewayRef: string) {
    return executor(this.db)
      .selectFrom('test_gateway_intents')
      .select(['ref', 'amount_minor', 'currency', 'status', 'payment_id'])
      .where('ref', '=', gatewayRef)
      .executeTakeFirst();
  }

  /**
   * The payer's answer on the confirmation page, or a refund made at the test gateway (its refund
   * button): moves the payment, as a gateway would before telling the merchant by webhook.
   * Answers whether it moved.
   */
  async settle(gatewayRef: string, outcome: 'complete' | 'fail' | 'refund'): Promise<boolean> {
    const [from, to] =
      outcome === 'refund'
        ? (['succeeded', 'refunded'] as const)
        : (['requires_action', outcome === 'complete' ? 'succeeded' : 'failed'] as const);
    const moved = await executor(this.db)
      .updateTable('test_gateway_intents')
      .set({
        status: to,
        failure_reason: outcome === 'fail' ? 'The cardholder did not confirm the payment.' : null,
      })
      .where('ref', '=', gatewayRef)
      .where('status', '=', from)
      .executeTakeFirst();
    return moved.numUpdatedRows > 0n;
  }

  private view(row: { ref: string; status: string; failure_reason: string | null }): GatewayPayment {
    const status = row.status === 'refunded' ? 'reversed' : (row.status as GatewayPayment['status']);
    return {
      gatewayRef: row.ref,
      status,
      failureReason: row.status === 'refunded' ? 'Refunded at the test gateway.' : row.failure_reason,
      actionUrl:
        row.status === 'requires_action' ? `${this.publicUrl}/test-gateway/confirm/${row.ref}` : null,
      clientSecret: null,
    };
  }
}
