import type Stripe from 'stripe';
import type { StripeGateway } from './stripe-gateway.js';

/** The Stripe events Switchboard listens to (README, "Payments: Stripe"): each names a PaymentIntent. */
export const STRIPE_WEBHOOK_EVENTS = [
  'payment_intent.succeeded',
  'payment_intent.payment_failed',
  'payment_intent.processing',
  'payment_intent.requires_action',
  'payment_intent.canceled',
  'charge.refunded',
  'charge.dispute.created',
] as const;

/** The payment an event is about: the PaymentIntent's id and Switchboard's payment id from its metadata. */
export interface StripeEventReference {
  gatewayRef?: string;
  paymentId?: string;
}

/** The webhook's signature is missing, wrong, or too old (the SDK's tolerance, 5 minutes). */
export class InvalidStripeSignature extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidStripeSignature';
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Verifies a webhook with the SDK's signature check (the raw body as Stripe sent it, the
 * `Stripe-Signature` header, STRIPE_WEBHOOK_SECRET) and answers which payment it is about, or null
 * for an event Switchboard does not use. Only the reference is taken from the event: what happened
 * is asked of Stripe again (Payments.onGatewayEvent), so events in any order converge.
 */
export function stripeWebhookEvent(
  gateway: StripeGateway,
  rawBody: Buffer | undefined,
  signatureHeader: string | string[] | undefined,
): StripeEventReference | null {
  if (!rawBody || rawBody.length === 0) throw new InvalidStripeSignature('The webhook has no body.');
  if (typeof signatureHeader !== 'string' || signatureHeader === '')
    throw new InvalidStripeSignature('The webhook has no Stripe-Signature header.');
  let event: Stripe.Event;
  try {
    event = gateway.client.webhooks.constructEvent(rawBody, signatureHeader, gateway.settings.webhookSecret);
  } catch (error) {
    throw new InvalidStripeSignature(
      error instanceof Error && error.name === 'StripeSignatureVerificationError'
        ? 'The Stripe-Signature header does not match the body and STRIPE_WEBHOOK_SECRET, or it is too old.'
        : 'The webhook body is not a Stripe event.',
    );
  }
  return referenceOf(event);
}

function referenceOf(event: Stripe.Event): StripeEventReference | null {
  if (!(STRIPE_WEBHOOK_EVENTS as readonly string[]).includes(event.type)) return null;
  const object = event.data.object as {
    object?: string;
    id?: string;
    payment_intent?: string | { id: string } | null;
    metadata?: Record<string, string> | null;
  };
  const gatewayRef =
    object.object === 'payment_intent'
      ? object.id
      : typeof object.payment_intent === 'string'
        ? object.payment_intent
        : object.payment_intent?.id;
  const paymentId = object.metadata?.payment_id;
  const reference: StripeEventReference = {
    ...(gatewayRef ? { gatewayRef } : {}),
    ...(paymentId && UUID.test(paymentId) ? { paymentId } : {}),
  };
  return reference.gatewayRef || reference.paymentId ? reference : null;
}
