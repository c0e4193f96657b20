import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StripeStandIn, startStripeStandIn } from '../../../test/support/stripe-stand-in.js';
import { type ChargeRequest, GatewayRefusal } from './gateway.js';
import { StripeGateway, stripeAddress } from './stripe-gateway.js';
import { InvalidStripeSignature, stripeWebhookEvent } from './stripe-webhook.js';

let stripe: StripeStandIn;
let gateway: StripeGateway;

beforeAll(async () => {
  stripe = await startStripeStandIn();
  gateway = new StripeGateway({
    secretKey: stripe.secretKey,
    publishableKey: stripe.publishableKey,
    webhookSecret: stripe.webhookSecret,
    apiUrl: stripe.url,
  });
});
afterAll(() => stripe.stop());

/** A customer with a card saved through a SetupIntent, as Stripe.js would save it. */
async function customerWithCard(behaviour: Parameters<StripeStandIn['completeSetup']>[1]) {
  const customerRef = await gateway.createCustomer({ id: randomUUID(), name: 'Acme', email: null });
  const setup = await gateway.startCardSetup(customerRef);
  if (setup.gateway !== 'stripe') throw new Error('not a Stripe setup');
  const setupIntentId = setup.clientSecret.split('_secret_')[0] as string;
  stripe.completeSetup(setupIntentId, behaviour);
  const card = await gateway.completeCardSetup(customerRef, setupIntentId);
  return { customerRef, methodRef: card.gatewayRef, card, setupIntentId };
}

const chargeOf = (card: { customerRef: string; methodRef: string }, extra: Partial<ChargeRequest> = {}) => {
  const paymentId = randomUUID();
  return {
    customerRef: card.customerRef,
    methodRef: card.methodRef,
    amountMinor: 5000n,
    currency: 'USD',
    paymentId,
    idempotencyKey: paymentId,
    offSession: false,
    returnUrl: 'http://localhost/billing/payment-settings',
    ...extra,
  };
};

describe('the Stripe driver', () => {
  it('passes the SDK the host, port and protocol of STRIPE_API_URL', () => {
    expect(stripeAddress('http://127.0.0.1:12111')).toEqual({
      host: '127.0.0.1',
      port: 12111,
      protocol: 'http',
    });
    expect(stripeAddress('https://stripe-proxy.example')).toEqual({
      host: 'stripe-proxy.example',
      port: 443,
      protocol: 'https',
    });
  });

  it('creates one customer per account, even when the creation is retried', async () => {
    const account = { id: randomUUID(), name: 'Acme Telecom', email: 'billing@acme.example' };
    const first = await gateway.createCustomer(account);
    const again = await gateway.createCustomer(account);
    expect(again).toBe(first);
    expect(stripe.customers.get(first)).toMatchObject({
      name: 'Acme Telecom',
      email: 'billing@acme.example',
      metadata: { account_id: account.id },
    });
  });

  it('starts a card setup for off-session use and answers the publishable key for Stripe.js', async () => {
    const customerRef = await gateway.createCustomer({ id: randomUUID(), name: 'Acme', email: null });
    const setup = await gateway.startCardSetup(customerRef);
    expect(setup).toMatchObject({ gateway: 'stripe', publishableKey: stripe.publishableKey });
    const intent = [...stripe.setupIntents.values()].find((si) => si.customer === customerRef);
    expect(intent).toMatchObject({ usage: 'off_session', allowed_payment_method_types: ['card'] });
    expect(setup.gateway === 'stripe' && setup.clientSecret).toBe(intent?.client_secret);
  });

  it('saves the card a succeeded SetupIntent holds: brand, last 4 digits and expiry', async () => {
    const { card } = await customerWithCard('succeeds');
    expect(card).toMatchObject({ brand: 'Visa', last4: '4242', expMonth: 12 });
    expect(card.gatewayRef).toMatch(/^pm_/);
  });

  it('refuses a SetupIntent of another customer, one not yet confirmed, and one that is not a SetupIntent', async () => {
    const { setupIntentId } = await customerWithCard('succeeds');
    const other = await gateway.createCustomer({ id: randomUUID(), name: 'Other', email: null });
    await expect(gateway.completeCardSetup(other, setupIntentId)).rejects.toThrow(/another customer/);

    const pending = await gateway.startCardSetup(other);
    const pendingId =
      pending.gateway === 'stripe' ? (pending.clientSecret.split('_secret_')[0] as string) : '';
    await expect(gateway.completeCardSetup(other, pendingId)).rejects.toThrow(/not confirmed this card yet/);
    await expect(gateway.completeCardSetup(other, 'seti_unknown')).rejects.toBeInstanceOf(GatewayRefusal);
    await expect(gateway.completeCardSetup(other, '../customers')).rejects.toBeInstanceOf(GatewayRefusal);
  });

  it('charges a card that succeeds: the PaymentIntent carries the amount, currency and payment id', async () => {
    const card = await customerWithCard('succeeds');
    const request = chargeOf(card);
    const payment = await gateway.charge(request);
    expect(payment).toMatchObject({ status: 'succeeded', failureReason: null });
    expect(stripe.intent(payment.gatewayRef)).toMatchObject({
      amount: 5000,
      currency: 'usd',
      customer: card.customerRef,
      payment_method: card.methodRef,
      metadata: { payment_id: request.paymentId },
    });
  });

  it('charges once when the same charge is sent again with its idempotency key', async () => {
    const card = await customerWithCard('succeeds');
    const request = chargeOf(card);
    const first = await gateway.charge(request);
    const again = await gateway.charge(request);
    expect(again.gatewayRef).toBe(first.gatewayRef);
    expect(
      [...stripe.paymentIntents.values()].filter((pi) => pi.metadata.payment_id === request.paymentId),
    ).toHaveLength(1);
  });

  it('answers a declined card as a failed payment with the bank’s reason, not as an error', async () => {
    const card = await customerWithCard('declined');
    const payment = await gateway.charge(chargeOf(card));
    expect(payment).toMatchObject({ status: 'failed', failureReason: 'Your card was declined.' });
    expect(payment.gatewayRef).toMatch(/^pi_/);
    expect((await gateway.retrieve(payment.gatewayRef)).status).toBe('failed');
  });

  it('answers requires_action with the client secret for Stripe.js on session, and fails off session', async () => {
    const card = await customerWithCard('requires_action');
    const onSession = await gateway.charge(chargeOf(card));
    expect(onSession).toMatchObject({ status: 'requires_action', actionUrl: null });
    expect(onSession.clientSecret).toBe(stripe.intent(onSession.gatewayRef).client_secret);
    stripe.completeAction(onSession.gatewayRef, 'succeed');
    expect((await gateway.retrieve(onSession.gatewayRef)).status).toBe('succeeded');

    const offSession = await gateway.charge(chargeOf(card, { offSession: true }));
    expect(offSession.status).toBe('failed');
    expect(offSession.failureReason).toMatch(/requires authentication/);
  });

  it('answers a processing payment as pending until it settles', async () => {
    const card = await customerWithCard('processing');
    const payment = await gateway.charge(chargeOf(card));
    expect(payment.status).toBe('pending');
    stripe.settle(payment.gatewayRef, 'succeed');
    expect((await gateway.retrieve(payment.gatewayRef)).status).toBe('succeeded');
  });

  it('answers a payment refunded in full as reversed, and a partly refunded one as still succeeded', async () => {
    const card = await customerWithCard('succeeds');
    const partly = await gateway.charge(chargeOf(card));
    stripe.refund(partly.gatewayRef, 1000);
    expect((await gateway.retrieve(partly.gatewayRef)).status).toBe('succeeded');
    stripe.refund(partly.gatewayRef, 4000);
    expect(await gateway.retrieve(partly.gatewayRef)).toMatchObject({
      status: 'reversed',
      failureReason: 'Refunded',
    });
  });

  it('answers a disputed payment as reversed', async () => {
    const card = await customerWithCard('succeeds');
    const payment = await gateway.charge(chargeOf(card));
    stripe.dispute(payment.gatewayRef);
    expect(await gateway.retrieve(payment.gatewayRef)).toMatchObject({
      status: 'reversed',
      failureReason: 'Disputed by the cardholder',
    });
  });

  it('refuses a charge of a card that is not the customer’s, as Stripe refuses it', async () => {
    const card = await customerWithCard('succeeds');
    const other = await customerWithCard('succeeds');
    await expect(gateway.charge(chargeOf({ ...card, methodRef: other.methodRef }))).rejects.toThrow(
      /does not belong to customer/,
    );
  });

  it('lets an unreachable Stripe propagate, so the payment stays pending', async () => {
    const card = await customerWithCard('succeeds');
    stripe.unavailable = true;
    try {
      const error = await gateway.charge(chargeOf(card)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      expect(error).not.toBeInstanceOf(GatewayRefusal);
    } finally {
      stripe.unavailable = false;
    }
  });
});

describe('Stripe webhooks', () => {
  const body = (event: object) => Buffer.from(JSON.stringify(event));
  const sign = (payload: Buffer, secret = stripe.webhookSecret) =>
    gateway.client.webhooks.generateTestHeaderString({ payload: payload.toString(), secret });

  it('names the PaymentIntent and Switchboard’s payment of a payment_intent event', async () => {
    const card = await customerWithCard('succeeds');
    const request = chargeOf(card);
    const payment = await gateway.charge(request);
    const payload = body(stripe.event('payment_intent.succeeded', payment.gatewayRef));
    expect(stripeWebhookEvent(gateway, payload, sign(payload))).toEqual({
      gatewayRef: payment.gatewayRef,
      paymentId: request.paymentId,
    });
  });

  it('takes the PaymentIntent from a refunded charge and from a dispute', async () => {
    const card = await customerWithCard('succeeds');
    const payment = await gateway.charge(chargeOf(card));
    stripe.refund(payment.gatewayRef);
    const refunded = body(stripe.event('charge.refunded', payment.gatewayRef));
    expect(stripeWebhookEvent(gateway, refunded, sign(refunded))?.gatewayRef).toBe(payment.gatewayRef);
    const disputed = body(stripe.event('charge.dispute.created', payment.gatewayRef));
    expect(stripeWebhookEvent(gateway, disputed, sign(disputed))).toEqual({ gatewayRef: payment.gatewayRef });
  });

  it('answers null for event types Switchboard does not use', () => {
    const payload = body({
      id: 'evt_1',
      object: 'event',
      type: 'customer.created',
      data: { object: { id: 'cus_1' } },
    });
    expect(stripeWebhookEvent(gateway, payload, sign(payload))).toBeNull();
  });

  it('refuses a missing signature, another secret, and a body changed after signing', () => {
    const payload = body({
      id: 'evt_1',
      object: 'event',
      type: 'payment_intent.succeeded',
      data: { object: {} },
    });
    expect(() => stripeWebhookEvent(gateway, payload, undefined)).toThrow(InvalidStripeSignature);
    expect(() => stripeWebhookEvent(gateway, payload, sign(payload, 'whsec_another'))).toThrow(
      InvalidStripeSignature,
    );
    const changed = Buffer.from(payload.toString().replace('evt_1', 'evt_2'));
    expect(() => stripeWebhookEvent(gateway, changed, sign(payload))).toThrow(InvalidStripeSignature);
    expect(() => stripeWebhookEvent(gateway, undefined, sign(payload))).toThrow(InvalidStripeSignature);
  });
});
