import Stripe from 'stripe';
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

/** What the Stripe driver is built from: `config.stripe` (README, "Payments: Stripe"). */
export interface StripeSettings {
  secretKey: string;
  publishableKey: string;
  webhookSecret: string;
  /** Stripe's address when it is not https://api.stripe.com (a proxy, the tests' stand-in). */
  apiUrl: string | undefined;
}

export interface StripeGatewayOptions {
  /** How often the SDK retries a request that did not get an answer (the SDK's default: 2). */
  maxNetworkRetries?: number;
}

/** The SDK's host/port/protocol options for an address such as http://127.0.0.1:12111 (its path is not used). */
export function stripeAddress(apiUrl: string): { host: string; port: number; protocol: 'http' | 'https' } {
  const url = new URL(apiUrl);
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : protocol === 'http' ? 80 : 443,
    protocol,
  };
}

/** Card brands as the console shows them (Stripe answers `visa`, `mastercard`, `amex`…). */
const BRANDS: Record<string, string> = {
  amex: 'American Express',
  cartes_bancaires: 'Cartes Bancaires',
  diners: 'Diners Club',
  discover: 'Discover',
  eftpos_au: 'eftpos Australia',
  jcb: 'JCB',
  mastercard: 'Mastercard',
  unionpay: 'UnionPay',
  visa: 'Visa',
};

const SETUP_INTENT_ID = /^seti_[A-Za-z0-9_]{1,200}$/;
const PAYMENT_INTENT_ID = /^pi_[A-Za-z0-9_]{1,200}$/;

/**
 * The Stripe driver, through the `stripe` SDK unchanged: a SetupIntent saves a card (Stripe.js
 * collects its number in the browser, so card numbers never reach Switchboard), a PaymentIntent
 * charges it (off-session for auto-recharge), and webhooks are verified with the SDK's signature
 * check (stripe-webhook.ts). Every payment carries Switchboard's payment id in its metadata, so
 * Stripe's events name the payment even before Switchboard has heard the PaymentIntent's id.
 *
 * Errors: a card declined while charging is a failed payment, not an error; a request Stripe
 * refuses as invalid is a GatewayRefusal (the payer's input, or a card of another customer);
 * anything else (Stripe unreachable, bad keys, rate limits) propagates, so the payment stays
 * pending and is asked about again.
 */
export class StripeGateway implements PaymentGateway {
  readonly name = 'stripe' as const;
  /** The SDK's client, for the webhook check (stripe-webhook.ts). */
  readonly client: Stripe;

  constructor(
    readonly settings: StripeSettings,
    options: StripeGatewayOptions = {},
  ) {
    this.client = new Stripe(settings.secretKey, {
      ...(settings.apiUrl ? stripeAddress(settings.apiUrl) : {}),
      ...(options.maxNetworkRetries !== undefined ? { maxNetworkRetries: options.maxNetworkRetries } : {}),
      appInfo: { name: 'Switchboard' },
    });
  }

  /** One Stripe customer per account: the idempotency key makes a retried creation the same customer. */
  async createCustomer(account: { id: string; name: string; email: string | null }): Promise<string> {
    const customer = await this.refusals(() =>
      this.client.customers.create(
        {
          name: account.name,
          ...(account.email ? { email: account.email } : {}),
          metadata: { account_id: account.id },
        },
        { idempotencyKey: `switchboard-customer-${account.id}` },
      ),
    );
    return customer.id;
  }

  /** A SetupIntent for a card to be charged later without the payer (auto-recharge); Stripe.js confirms it. */
  async startCardSetup(customerRef: string): Promise<CardSetup> {
    const intent = await this.refusals(() =>
      this.client.setupIntents.create({
        customer: customerRef,
        usage: 'off_session',
        allowed_payment_method_types: ['card'],
      }),
    );
    if (!intent.client_secret)
      throw new Error(`Stripe answered SetupIntent ${intent.id} without a client secret.`);
    return {
      gateway: 'stripe',
      clientSecret: intent.client_secret,
      publishableKey: this.settings.publishableKey,
    };
  }

  /** The card a succeeded SetupIntent of this customer saved; any other SetupIntent is refused. */
  async completeCardSetup(customerRef: string, setupIntentId: string): Promise<SavedCard> {
    if (!SETUP_INTENT_ID.test(setupIntentId))
      throw new GatewayRefusal('This is not a Stripe card setup (a SetupIntent id starts with "seti_").');
    const intent = await this.refusals(() =>
      this.client.setupIntents.retrieve(setupIntentId, { expand: ['payment_method'] }),
    );
    const customer = typeof intent.customer === 'string' ? intent.customer : intent.customer?.id;
    if (customer !== customerRef)
      throw new GatewayRefusal('This card setup belongs to another customer: add the card again.');
    if (intent.status !== 'succeeded')
      throw new GatewayRefusal(
        intent.last_setup_error?.message ??
          'Stripe has not confirmed this card yet: finish the card form, or add the card again.',
      );
    const method = intent.payment_method;
    if (!method || typeof method === 'string' || !method.card)
      throw new GatewayRefusal('This card setup saved no card: add the card again.');
    return {
      gatewayRef: method.id,
      brand: BRANDS[method.card.brand] ?? method.card.brand,
      last4: method.card.last4,
      expMonth: method.card.exp_month,
      expYear: method.card.exp_year,
    };
  }

  /**
   * Charges a saved card with a PaymentIntent confirmed at once. Off-session (auto-recharge) a card
   * that asks for authentication is declined by Stripe; on-session it answers `requires_action`
   * with the client secret Stripe.js needs to finish it.
   */
  async charge(request: ChargeRequest): Promise<GatewayPayment> {
    const amount = Number(request.amountMinor);
    if (!Number.isSafeInteger(amount) || amount <= 0)
      throw new GatewayRefusal('The amount cannot be charged by Stripe.');
    try {
      const intent = await this.client.paymentIntents.create(
        {
          amount,
          currency: request.currency.toLowerCase(),
          customer: request.customerRef,
          payment_method: request.methodRef,
          allowed_payment_method_types: ['card'],
          confirm: true,
          ...(request.offSession ? { off_session: true } : { return_url: request.returnUrl }),
          metadata: { payment_id: request.paymentId },
        },
        { idempotencyKey: request.idempotencyKey },
      );
      return paymentOf(intent);
    } catch (error) {
      if (error instanceof Stripe.errors.StripeCardError) {
        const intent = error.payment_intent;
        return {
          gatewayRef: intent?.id ?? '',
          status: 'failed',
          failureReason: intent?.last_payment_error?.message ?? stripeMessage(error),
          actionUrl: null,
          clientSecret: null,
        };
      }
      throw refusalOf(error);
    }
  }

  /**
   * The PaymentIntent as Stripe holds it now, with its latest charge: a succeeded payment whose
   * charge was refunded in full or disputed is `reversed`. A partial refund is not a reversal: the
   * operator refunded part of it on purpose, and the credit stays (staff adjust it if they mean to).
   */
  async retrieve(gatewayRef: string): Promise<GatewayPayment> {
    if (!PAYMENT_INTENT_ID.test(gatewayRef))
      throw new GatewayRefusal(`${gatewayRef} is not a Stripe PaymentIntent.`);
    const intent = await this.refusals(() =>
      this.client.paymentIntents.retrieve(gatewayRef, { expand: ['latest_charge'] }),
    );
    return paymentOf(intent);
  }

  /** Refunds part or all of a PaymentIntent's charge; Stripe answers a refund pending or succeeded. */
  async refund(request: RefundRequest): Promise<GatewayRefund> {
    const amount = Number(request.amountMinor);
    if (!Number.isSafeInteger(amount) || amount <= 0)
      throw new GatewayRefusal('The amount cannot be refunded by Stripe.');
    const refund = await this.refusals(() =>
      this.client.refunds.create(
        { payment_intent: request.paymentRef, amount, metadata: { refund_id: request.refundId } },
        { idempotencyKey: request.idempotencyKey },
      ),
    );
    const status =
      refund.status === 'succeeded' ? 'succeeded' : refund.status === 'pending' ? 'pending' : 'failed';
    return {
      gatewayRef: refund.id,
      status,
      failureReason:
        status === 'failed' ? `Stripe answered the refund ${refund.status ?? 'without a status'}.` : null,
    };
  }

  private async refusals<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw refusalOf(error);
    }
  }
}

/** A PaymentIntent as a gateway payment. */
export function paymentOf(intent: Stripe.PaymentIntent): GatewayPayment {
  const base = { gatewayRef: intent.id, failureReason: null, actionUrl: null, clientSecret: null };
  switch (intent.status) {
    case 'succeeded': {
      const charge = typeof intent.latest_charge === 'object' ? intent.latest_charge : null;
      if (charge?.disputed)
        return { ...base, status: 'reversed', failureReason: 'Disputed by the cardholder' };
      if (charge?.refunded) return { ...base, status: 'reversed', failureReason: 'Refunded' };
      return { ...base, status: 'succeeded' };
    }
    case 'requires_action':
      return { ...base, status: 'requires_action', clientSecret: intent.client_secret };
    case 'requires_payment_method':
      return {
        ...base,
        status: 'failed',
        failureReason: intent.last_payment_error?.message ?? 'The card was declined.',
      };
    case 'canceled':
      return {
        ...base,
        status: 'failed',
        failureReason: intent.last_payment_error?.message ?? 'The payment was canceled at Stripe.',
      };
    default:
      // processing, requires_confirmation, requires_capture: not money yet.
      return { ...base, status: 'pending' };
  }
}

/** Stripe's own message, without the request id the SDK puts in front of it. */
function stripeMessage(error: InstanceType<typeof Stripe.errors.StripeError>): string {
  const raw = error.raw as { message?: string } | undefined;
  return raw?.message ?? error.message;
}

/** An invalid request (unknown customer, card or intent; bad parameters) is the payer's to fix; anything else stays an error. */
function refusalOf(error: unknown): unknown {
  if (
    error instanceof Stripe.errors.StripeInvalidRequestError ||
    error instanceof Stripe.errors.StripeCardError
  )
    return new GatewayRefusal(stripeMessage(error));
  return error;
}
