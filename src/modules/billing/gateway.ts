import type { PaymentGatewayName } from '../../db/schema.js';

/**
 * What Switchboard asks of a payment gateway. Two drivers implement it: the built-in test gateway
 * (development's default; test card numbers, its own confirmation page) and Stripe (the `stripe`
 * SDK: SetupIntents save cards, PaymentIntents charge them, signed webhooks). Amounts cross this
 * interface in the currency's minor units (cents), as gateways take them.
 */
export interface PaymentGateway {
  readonly name: PaymentGatewayName;
  /** The gateway's customer for an account, created once (the caller stores its reference). */
  createCustomer(account: { id: string; name: string; email: string | null }): Promise<string>;
  /** What the console needs to collect a card: the test gateway's own form, or Stripe.js's setup. */
  startCardSetup(customerRef: string): Promise<CardSetup>;
  /**
   * Finishes saving a card: `proof` is what the console got back (the test gateway's card token, a
   * Stripe SetupIntent id). Answers the card as the gateway holds it; refuses a card of another customer.
   */
  completeCardSetup(customerRef: string, proof: string): Promise<SavedCard>;
  /** Charges a saved card. `idempotencyKey` makes a repeated call the same charge. */
  charge(request: ChargeRequest): Promise<GatewayPayment>;
  /** The payment as the gateway holds it now (a webhook's claim is checked against it). */
  retrieve(gatewayRef: string): Promise<GatewayPayment>;
  /** Refunds part or all of a succeeded payment to its card. `idempotencyKey` makes a repeated call the same refund. */
  refund(request: RefundRequest): Promise<GatewayRefund>;
}

export interface RefundRequest {
  /** The refunded payment's reference at the gateway. */
  paymentRef: string;
  amountMinor: bigint;
  currency: string;
  /** Switchboard's refund id: the gateway keeps it beside the refund. */
  refundId: string;
  idempotencyKey: string;
}

/** A refund as the gateway answered it: `pending` is accepted and on its way to the card. */
export interface GatewayRefund {
  gatewayRef: string;
  status: 'succeeded' | 'pending' | 'failed';
  failureReason: string | null;
}

export type CardSetup =
  | { gateway: 'test'; customerRef: string }
  | { gateway: 'stripe'; clientSecret: string; publishableKey: string };

export interface SavedCard {
  gatewayRef: string;
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
}

export interface ChargeRequest {
  customerRef: string;
  methodRef: string;
  amountMinor: bigint;
  currency: string;
  /** Switchboard's payment id: the gateway keeps it, so its events name the payment. */
  paymentId: string;
  idempotencyKey: string;
  /** True when no one is present to confirm (auto-recharge): a charge that needs confirmation fails. */
  offSession: boolean;
  /** Where the payer returns after a confirmation step. */
  returnUrl: string;
}

/**
 * A payment as the gateway sees it. `succeeded` is final money; `requires_action` waits for the
 * payer at `actionUrl` (test gateway) or in Stripe.js (`clientSecret`); `pending` waits for the
 * gateway; `failed` carries the reason to show; `reversed` was refunded or disputed after it succeeded.
 */
export interface GatewayPayment {
  gatewayRef: string;
  status: 'succeeded' | 'requires_action' | 'pending' | 'failed' | 'reversed';
  failureReason: string | null;
  actionUrl: string | null;
  clientSecret: string | null;
}

/** A gateway refused the request itself (bad card data, unknown customer): the payer's input to fix. */
export class GatewayRefusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GatewayRefusal';
  }
}

/** Minor units (cents) of micro-units, for a currency with `digits` minor digits; null when not whole. */
export function minorUnits(micros: bigint, digits: number): bigint | null {
  const per = 10n ** BigInt(6 - digits);
  return micros % per === 0n ? micros / per : null;
}

/** Micro-units of minor units. */
export function microsOfMinor(minor: bigint, digits: number): bigint {
  return minor * 10n ** BigInt(6 - digits);
}

/** The currency's minor digits (USD 2, JPY 0), as Intl knows them. */
export function minorDigits(currency: string): number {
  return (
    new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().minimumFractionDigits ?? 2
  );
}

/** PAYMENT_GATEWAY=none: no card payments; credit comes from staff. Every call is refused, saying so. */
export class NoGateway implements PaymentGateway {
  readonly name = 'none' as const;
  private refuse(): never {
    throw new GatewayRefusal(
      'This Switchboard takes no card payments (PAYMENT_GATEWAY=none): ask the operator to add credit.',
    );
  }
  async createCustomer(): Promise<string> {
    return this.refuse();
  }
  async startCardSetup(): Promise<CardSetup> {
    return this.refuse();
  }
  async completeCardSetup(): Promise<SavedCard> {
    return this.refuse();
  }
  async charge(): Promise<GatewayPayment> {
    return this.refuse();
  }
  async retrieve(): Promise<GatewayPayment> {
    return this.refuse();
  }
  async refund(): Promise<GatewayRefund> {
    return this.refuse();
  }
}
