import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/modules/audit/audit.js';
import { apiAccount } from '../support/api-account.js';
import { userIdOf } from '../support/journeys.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { type CardBehaviour, type StripeStandIn, startStripeStandIn } from '../support/stripe-stand-in.js';

/*
 * Payments through Stripe, end to end: the real server with PAYMENT_GATEWAY=stripe, the real
 * `stripe` SDK pointed at the stand-in (STRIPE_API_URL), and webhooks the stand-in signs with the
 * SDK's own helper, delivered to POST /webhooks/stripe. The console's payment routes are the lead's
 * (not on this branch yet): cards and recharges are driven through server.system.payments.
 */

let stripe: StripeStandIn;
let server: TestServer;
let webhookUrl: string;

beforeAll(async () => {
  stripe = await startStripeStandIn();
  server = await startTestServer(stripe.env());
  webhookUrl = `${server.url}/webhooks/stripe`;
});
afterAll(async () => {
  await server?.stop();
  await stripe?.stop();
});

/** An account whose owner saved a card through a SetupIntent, as Stripe.js saves it in the browser. */
async function accountWithCard(behaviour: CardBehaviour) {
  const account = await apiAccount(server);
  const actor: Actor = { ip: '127.0.0.1', userAgent: 'test', userId: await userIdOf(account.client) };
  const setup = await server.system.payments.startCardSetup(account.accountId);
  if (setup.gateway !== 'stripe') throw new Error('the server does not use Stripe');
  const setupIntentId = setup.clientSecret.split('_secret_')[0] as string;
  stripe.completeSetup(setupIntentId, behaviour);
  const card = await server.system.payments.addCard(actor, account.accountId, setupIntentId);
  const recharge = (amount = '50.00') =>
    server.system.payments.recharge(actor, account.accountId, {
      amount,
      paymentMethodId: card.id,
      requestKey: randomUUID(),
    });
  return { ...account, actor, card, recharge };
}

async function balanceOf(accountId: string): Promise<bigint> {
  return (await server.system.ledger.balance(accountId)).micros;
}

async function entriesOf(accountId: string, kind: 'recharge' | 'reversal') {
  return server.system.database.db
    .selectFrom('ledger_entries')
    .select(['amount_micros', 'reference', 'description'])
    .where('account_id', '=', accountId)
    .where('kind', '=', kind)
    .execute();
}

const paymentRow = (paymentId: string) => server.system.payments.store.payment(paymentId);

/** Sends Stripe's event about a PaymentIntent and expects it received. */
async function deliver(type: string, paymentIntentId: string, object?: Record<string, unknown>) {
  const delivery = await stripe.sendWebhook(webhookUrl, stripe.event(type, paymentIntentId, object));
  expect(delivery.status, delivery.body).toBe(200);
  expect(JSON.parse(delivery.body)).toEqual({ received: true });
}

describe('POST /webhooks/stripe: a payment is credited once, and only once it succeeded', () => {
  it('credits once when the webhook is replayed many times, some at the same moment', async () => {
    // The card settles after the API's answer, so the webhooks are what credits it: racing each other.
    const account = await accountWithCard('processing');
    const payment = await account.recharge();
    expect(payment.status).toBe('pending');
    const intent = stripe.intentOfPayment(payment.id);
    stripe.settle(intent.id, 'succeed');
    await Promise.all(Array.from({ length: 8 }, () => deliver('payment_intent.succeeded', intent.id)));
    for (let i = 0; i < 4; i++) await deliver('payment_intent.succeeded', intent.id);
    expect(await entriesOf(account.accountId, 'recharge')).toHaveLength(1);
    expect(await balanceOf(account.accountId)).toBe(50_000_000n);
    expect((await paymentRow(payment.id))?.status).toBe('succeeded');
  });

  it('credits once when the API answered first and the webhook follows, again and again', async () => {
    const account = await accountWithCard('succeeds');
    const payment = await account.recharge();
    expect(payment.status).toBe('succeeded');
    expect(await balanceOf(account.accountId)).toBe(50_000_000n);
    const intent = stripe.intentOfPayment(payment.id);
    await Promise.all(Array.from({ length: 4 }, () => deliver('payment_intent.succeeded', intent.id)));
    await deliver('payment_intent.succeeded', intent.id);
    expect(await entriesOf(account.accountId, 'recharge')).toHaveLength(1);
    expect(await balanceOf(account.accountId)).toBe(50_000_000n);
  });

  it('credits once when the webhook overtakes the API’s answer', async () => {
    const account = await accountWithCard('succeeds');
    let creditedByWebhook: bigint | undefined;
    stripe.beforeAnswer = async (intent) => {
      await deliver('payment_intent.succeeded', intent.id);
      creditedByWebhook = await balanceOf(account.accountId);
    };
    try {
      const payment = await account.recharge();
      expect(payment.status).toBe('succeeded');
    } finally {
      stripe.beforeAnswer = undefined;
    }
    expect(creditedByWebhook).toBe(50_000_000n);
    expect(await entriesOf(account.accountId, 'recharge')).toHaveLength(1);
    expect(await balanceOf(account.accountId)).toBe(50_000_000n);
  });

  it('credits once whatever the order: failure-like and stale events before and after the success', async () => {
    const account = await accountWithCard('requires_action');
    const payment = await account.recharge();
    expect(payment.status).toBe('requires_action');
    const intent = stripe.intentOfPayment(payment.id);
    const waiting = { ...intent };
    await deliver('payment_intent.requires_action', intent.id);
    expect(await balanceOf(account.accountId)).toBe(0n);

    stripe.completeAction(intent.id, 'succeed');
    const failedLooking = {
      ...waiting,
      status: 'requires_payment_method',
      last_payment_error: { message: 'Declined' },
    };
    await deliver('payment_intent.payment_failed', intent.id, failedLooking);
    await deliver('payment_intent.requires_action', intent.id, waiting);
    await deliver('payment_intent.succeeded', intent.id);
    await deliver('payment_intent.payment_failed', intent.id, failedLooking);
    await deliver('payment_intent.succeeded', intent.id);

    expect(await entriesOf(account.accountId, 'recharge')).toHaveLength(1);
    expect(await entriesOf(account.accountId, 'reversal')).toHaveLength(0);
    expect(await balanceOf(account.accountId)).toBe(50_000_000n);
    expect(await paymentRow(payment.id)).toMatchObject({ status: 'succeeded', reversed_at: null });
  });

  it('credits nothing while the payment is processing, and once when it settles', async () => {
    const account = await accountWithCard('processing');
    const payment = await account.recharge();
    expect(payment.status).toBe('pending');
    const intent = stripe.intentOfPayment(payment.id);
    for (let i = 0; i < 3; i++) await deliver('payment_intent.processing', intent.id);
    // A forged-looking claim of success in the event's body changes nothing: Stripe is asked.
    await deliver('payment_intent.succeeded', intent.id, { ...intent, status: 'succeeded' });
    expect(await entriesOf(account.accountId, 'recharge')).toHaveLength(0);
    expect(await balanceOf(account.accountId)).toBe(0n);
    expect((await paymentRow(payment.id))?.status).toBe('pending');

    stripe.settle(intent.id, 'succeed');
    await deliver('payment_intent.succeeded', intent.id);
    await deliver('payment_intent.processing', intent.id, { ...intent, status: 'processing' });
    expect(await entriesOf(account.accountId, 'recharge')).toHaveLength(1);
    expect(await balanceOf(account.accountId)).toBe(50_000_000n);
  });

  it('leaves a declined payment failed and uncredited, however often Stripe tells of it', async () => {
    const account = await accountWithCard('declined');
    const payment = await account.recharge();
    expect(payment).toMatchObject({ status: 'failed', failure_reason: 'Your card was declined.' });
    const intent = stripe.intentOfPayment(payment.id);
    await deliver('payment_intent.payment_failed', intent.id);
    await deliver('payment_intent.payment_failed', intent.id);
    expect(await entriesOf(account.accountId, 'recharge')).toHaveLength(0);
    expect(await balanceOf(account.accountId)).toBe(0n);
  });
});

describe('POST /webhooks/stripe: refunds and disputes after the credit', () => {
  it('posts one reversal when a credited payment is refunded in full, however often it is told', async () => {
    const account = await accountWithCard('succeeds');
    const payment = await account.recharge();
    const intent = stripe.intentOfPayment(payment.id);
    stripe.refund(intent.id, 1000);
    await deliver('charge.refunded', intent.id);
    expect(await entriesOf(account.accountId, 'reversal')).toHaveLength(0);

    stripe.refund(intent.id, 4000);
    await Promise.all(Array.from({ length: 5 }, () => deliver('charge.refunded', intent.id)));
    await deliver('payment_intent.succeeded', intent.id);
    const reversals = await entriesOf(account.accountId, 'reversal');
    expect(reversals).toHaveLength(1);
    expect(reversals[0]).toMatchObject({ amount_micros: -50_000_000n, reference: payment.id });
    expect(reversals[0]?.description).toMatch(/Refunded/);
    expect(await balanceOf(account.accountId)).toBe(0n);
    expect(await paymentRow(payment.id)).toMatchObject({ reversal_reason: 'Refunded' });
  });

  it('posts one reversal when the cardholder disputes a credited payment', async () => {
    const account = await accountWithCard('succeeds');
    const payment = await account.recharge('80.00');
    const intent = stripe.intentOfPayment(payment.id);
    await deliver('charge.dispute.created', intent.id);
    await deliver('charge.dispute.created', intent.id);
    const reversals = await entriesOf(account.accountId, 'reversal');
    expect(reversals).toHaveLength(1);
    expect(reversals[0]?.amount_micros).toBe(-80_000_000n);
    expect(await balanceOf(account.accountId)).toBe(0n);
    expect(await paymentRow(payment.id)).toMatchObject({ reversal_reason: 'Disputed by the cardholder' });
  });
});

describe('POST /webhooks/stripe: what it refuses and what it ignores', () => {
  it('refuses a bad or missing signature with 400 and changes nothing', async () => {
    const account = await accountWithCard('processing');
    const payment = await account.recharge();
    const intent = stripe.intentOfPayment(payment.id);
    stripe.settle(intent.id, 'succeed');
    const event = stripe.event('payment_intent.succeeded', intent.id);

    const forged = await stripe.sendWebhook(webhookUrl, event, 'whsec_not_the_secret');
    expect(forged.status).toBe(400);
    expect(JSON.parse(forged.body)).toMatchObject({ error: 'invalid_signature' });
    const unsigned = await stripe.post(webhookUrl, JSON.stringify(event), {});
    expect(unsigned.status).toBe(400);
    expect(JSON.parse(unsigned.body)).toMatchObject({ error: 'invalid_signature' });
    const made = `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}`;
    expect((await stripe.post(webhookUrl, JSON.stringify(event), { 'stripe-signature': made })).status).toBe(
      400,
    );
    const otherType = await stripe.post(webhookUrl, JSON.stringify(event), {
      'content-type': 'application/xml',
      'stripe-signature': made,
    });
    expect(otherType.status).toBe(415);
    expect(await entriesOf(account.accountId, 'recharge')).toHaveLength(0);
    expect((await paymentRow(payment.id))?.status).toBe('pending');

    await deliver('payment_intent.succeeded', intent.id);
    expect(await balanceOf(account.accountId)).toBe(50_000_000n);
  });

  it('answers 200 to an event about a payment it does not know, and to event types it does not use', async () => {
    const unknown = {
      id: 'pi_not_ours',
      object: 'payment_intent',
      status: 'succeeded',
      metadata: { payment_id: randomUUID() },
    };
    await deliver('payment_intent.succeeded', 'pi_not_ours', unknown);
    expect(server.logLines.some((line) => line.includes('no such payment here'))).toBe(true);
    await deliver('customer.created', 'cus_x', { id: 'cus_x', object: 'customer' });
  });

  it('answers 500 while Stripe cannot be asked, so that Stripe sends the event again', async () => {
    const account = await accountWithCard('processing');
    const payment = await account.recharge();
    const intent = stripe.intentOfPayment(payment.id);
    stripe.settle(intent.id, 'succeed');
    stripe.unavailable = true;
    try {
      const delivery = await stripe.sendWebhook(
        webhookUrl,
        stripe.event('payment_intent.succeeded', intent.id),
      );
      expect(delivery.status).toBe(500);
      expect(JSON.parse(delivery.body)).toMatchObject({ error: 'webhook_not_applied' });
    } finally {
      stripe.unavailable = false;
    }
    expect(await balanceOf(account.accountId)).toBe(0n);
    await deliver('payment_intent.succeeded', intent.id);
    expect(await balanceOf(account.accountId)).toBe(50_000_000n);
  });
});
