import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import Stripe from 'stripe';

/**
 * An HTTP stand-in for the few Stripe endpoints Switchboard uses, for the real `stripe` SDK pointed
 * at it with STRIPE_API_URL (its host/port/protocol options): customers, SetupIntents,
 * PaymentIntents (with `expand`), the Idempotency-Key header (same key → the same answer, marked
 * Idempotent-Replayed), card errors as Stripe answers them (402 with the PaymentIntent), and signed
 * webhooks made with the SDK's own `webhooks.generateTestHeaderString`. State lives in memory.
 * Test controls do what Stripe.js, the cardholder's bank or the Stripe Dashboard would.
 */

/** What a saved card does when it is charged. */
export type CardBehaviour = 'succeeds' | 'declined' | 'requires_action' | 'processing';

const CARDS: Record<CardBehaviour, { brand: string; last4: string }> = {
  succeeds: { brand: 'visa', last4: '4242' },
  declined: { brand: 'visa', last4: '0002' },
  requires_action: { brand: 'visa', last4: '3155' },
  processing: { brand: 'mastercard', last4: '4444' },
};

type Json = Record<string, unknown>;

interface StoredAnswer {
  status: number;
  body: Json;
}

interface PaymentIntentState extends Json {
  id: string;
  object: 'payment_intent';
  amount: number;
  currency: string;
  customer: string;
  payment_method: string;
  status: string;
  client_secret: string;
  last_payment_error: Json | null;
  latest_charge: string | null;
  metadata: Record<string, string>;
  next_action: Json | null;
}

const id = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;

/** Stripe's form encoding (`a[b]=c`, `a[0]=x`) as nested objects and arrays. */
export function parseStripeForm(text: string): Json {
  const root: Json = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const path = key.split(/[[\]]+/).filter((part) => part !== '');
    let node: Json = root;
    for (const [index, part] of path.entries()) {
      if (index === path.length - 1) node[part] = value;
      else {
        if (typeof node[part] !== 'object' || node[part] === null) node[part] = {};
        node = node[part] as Json;
      }
    }
  }
  const arrays = (value: unknown): unknown => {
    if (typeof value !== 'object' || value === null) return value;
    const entries = Object.entries(value as Json).map(([k, v]) => [k, arrays(v)] as const);
    return entries.length > 0 && entries.every(([k]) => /^[0-9]+$/.test(k))
      ? entries.map(([, v]) => v)
      : Object.fromEntries(entries);
  };
  return arrays(root) as Json;
}

export interface WebhookDelivery {
  status: number;
  body: string;
}

export class StripeStandIn {
  readonly secretKey = `sk_test_${randomBytes(12).toString('hex')}`;
  readonly publishableKey = `pk_test_${randomBytes(12).toString('hex')}`;
  readonly webhookSecret = `whsec_${randomBytes(16).toString('hex')}`;
  readonly customers = new Map<string, Json>();
  readonly setupIntents = new Map<string, Json>();
  readonly paymentMethods = new Map<string, Json & { behaviour: CardBehaviour }>();
  readonly paymentIntents = new Map<string, PaymentIntentState>();
  readonly charges = new Map<string, Json>();
  /** Every request the SDK made: method, path and Idempotency-Key. */
  readonly requests: { method: string; path: string; idempotencyKey: string | undefined }[] = [];
  /** While true, every API request answers 500 (Stripe down for the SDK, after its retries). */
  unavailable = false;
  /** Runs after a PaymentIntent is made and before the API answers it (a webhook that overtakes the answer). */
  beforeAnswer: ((intent: PaymentIntentState) => Promise<void>) | undefined;
  private readonly answers = new Map<string, StoredAnswer>();
  private readonly sdk = new Stripe('sk_test_signing_only');
  private server: Server | undefined;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        response.statusCode = 500;
        response.end(JSON.stringify({ error: { type: 'api_error', message: String(error) } }));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const address = this.server.address() as { port: number };
    this.url = `http://127.0.0.1:${address.port}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  /** What Switchboard's settings need to reach this stand-in. */
  env(): Record<string, string> {
    return {
      PAYMENT_GATEWAY: 'stripe',
      STRIPE_SECRET_KEY: this.secretKey,
      STRIPE_PUBLISHABLE_KEY: this.publishableKey,
      STRIPE_WEBHOOK_SECRET: this.webhookSecret,
      STRIPE_API_URL: this.url,
    };
  }

  // ---- test controls --------------------------------------------------------------------------

  /** What Stripe.js does in the browser: the payer enters a card and the SetupIntent succeeds. Answers the card's id. */
  completeSetup(setupIntentId: string, behaviour: CardBehaviour): string {
    const intent = this.setupIntents.get(setupIntentId);
    if (!intent) throw new Error(`no SetupIntent ${setupIntentId}`);
    const methodId = id('pm');
    this.paymentMethods.set(methodId, {
      id: methodId,
      object: 'payment_method',
      type: 'card',
      customer: intent.customer,
      card: { ...CARDS[behaviour], exp_month: 12, exp_year: new Date().getUTCFullYear() + 3 },
      metadata: {},
      behaviour,
    });
    Object.assign(intent, { status: 'succeeded', payment_method: methodId });
    return methodId;
  }

  /** The cardholder finishes (or fails) the extra step Stripe.js showed them. */
  completeAction(paymentIntentId: string, outcome: 'succeed' | 'fail'): void {
    const intent = this.intent(paymentIntentId);
    if (intent.status !== 'requires_action') throw new Error(`${paymentIntentId} is ${intent.status}`);
    if (outcome === 'succeed') this.succeed(intent);
    else this.decline(intent, 'authentication_required', 'The cardholder did not complete authentication.');
  }

  /** A processing payment settles. */
  settle(paymentIntentId: string, outcome: 'succeed' | 'fail'): void {
    const intent = this.intent(paymentIntentId);
    if (intent.status !== 'processing') throw new Error(`${paymentIntentId} is ${intent.status}`);
    if (outcome === 'succeed') this.succeed(intent);
    else this.decline(intent, 'card_declined', 'Your card was declined.');
  }

  /** A refund from the Stripe Dashboard: the whole amount unless `amount` is given (minor units). */
  refund(paymentIntentId: string, amount?: number): Json {
    const charge = this.chargeOf(paymentIntentId);
    const refunded = (charge.amount_refunded as number) + (amount ?? (charge.amount as number));
    Object.assign(charge, { amount_refunded: refunded, refunded: refunded >= (charge.amount as number) });
    return charge;
  }

  /** The cardholder disputes the charge with their bank. Answers the dispute. */
  dispute(paymentIntentId: string): Json {
    const charge = this.chargeOf(paymentIntentId);
    charge.disputed = true;
    return {
      id: id('dp'),
      object: 'dispute',
      amount: charge.amount,
      currency: charge.currency,
      charge: charge.id,
      payment_intent: paymentIntentId,
      reason: 'fraudulent',
      status: 'needs_response',
      metadata: {},
    };
  }

  intent(paymentIntentId: string): PaymentIntentState {
    const intent = this.paymentIntents.get(paymentIntentId);
    if (!intent) throw new Error(`no PaymentIntent ${paymentIntentId}`);
    return intent;
  }

  /** The PaymentIntent made for Switchboard's payment (by its metadata). */
  intentOfPayment(paymentId: string): PaymentIntentState {
    const intent = [...this.paymentIntents.values()].find((pi) => pi.metadata.payment_id === paymentId);
    if (!intent) throw new Error(`no PaymentIntent for payment ${paymentId}`);
    return intent;
  }

  /**
   * An event as Stripe would send it now, about a PaymentIntent: payment_intent.* carry the
   * PaymentIntent, charge.refunded its charge, charge.dispute.created a dispute. `object` overrides
   * the event's object (a stale snapshot, or an object of Stripe's own making).
   */
  event(type: string, paymentIntentId: string, object?: Json): Json {
    const data =
      object ??
      (type.startsWith('payment_intent.')
        ? { ...this.intent(paymentIntentId) }
        : type === 'charge.dispute.created'
          ? this.dispute(paymentIntentId)
          : { ...this.chargeOf(paymentIntentId) });
    return {
      id: id('evt'),
      object: 'event',
      api_version: '2026-11-18.endive',
      created: Math.floor(Date.now() / 1000),
      type,
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      data: { object: data },
    };
  }

  /** Sends an event to a webhook URL, signed with the SDK's helper (or with `secret`, to test refusals). */
  async sendWebhook(url: string, event: Json, secret = this.webhookSecret): Promise<WebhookDelivery> {
    const payload = JSON.stringify(event);
    const signature = this.sdk.webhooks.generateTestHeaderString({ payload, secret });
    return this.post(url, payload, { 'stripe-signature': signature });
  }

  /** Posts a body with whatever headers a test gives (a missing or forged signature). */
  async post(url: string, payload: string, headers: Record<string, string>): Promise<WebhookDelivery> {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'Stripe/1.0', ...headers },
      body: payload,
    });
    return { status: response.status, body: await response.text() };
  }

  // ---- the API --------------------------------------------------------------------------------

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const url = new URL(request.url ?? '/', 'http://stand-in');
    const method = request.method ?? 'GET';
    const idempotencyKey = request.headers['idempotency-key'] as string | undefined;
    this.requests.push({ method, path: url.pathname, idempotencyKey });
    const send = (answer: StoredAnswer, replayed = false) => {
      response.writeHead(answer.status, {
        'content-type': 'application/json',
        'request-id': id('req'),
        ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
        ...(replayed ? { 'idempotent-replayed': 'true' } : {}),
        // An outage answers at once: the SDK would otherwise retry it with a back-off.
        ...(answer.status >= 500 ? { 'stripe-should-retry': 'false' } : {}),
      });
      response.end(JSON.stringify(answer.body));
    };
    if (request.headers.authorization !== `Bearer ${this.secretKey}`)
      return send(this.error(401, 'invalid_request_error', 'Invalid API Key provided.'));
    if (this.unavailable) return send(this.error(500, 'api_error', 'The stand-in is unavailable.'));
    const params =
      method === 'GET'
        ? parseStripeForm(url.search.slice(1))
        : parseStripeForm(Buffer.concat(chunks).toString());
    const answerKey = idempotencyKey && method === 'POST' ? `${url.pathname} ${idempotencyKey}` : undefined;
    const earlier = answerKey ? this.answers.get(answerKey) : undefined;
    if (earlier) return send(earlier, true);
    const answer = this.route(method, url.pathname, params);
    if (answerKey && answer.status < 500) this.answers.set(answerKey, answer);
    const made = (
      answer.body.object === 'payment_intent'
        ? answer.body
        : (answer.body.error as Json | undefined)?.payment_intent
    ) as Json | undefined;
    if (method === 'POST' && url.pathname === '/v1/payment_intents' && made && this.beforeAnswer)
      await this.beforeAnswer(this.intent(made.id as string));
    send(answer);
  }

  private route(method: string, path: string, params: Json): StoredAnswer {
    const expand = (params.expand as string[] | undefined) ?? [];
    const [, version, resource, objectId] = path.split('/');
    if (version !== 'v1')
      return this.error(404, 'invalid_request_error', `Unrecognized request URL (${method}: ${path}).`);
    if (method === 'POST' && resource === 'customers' && !objectId) return this.createCustomer(params);
    if (method === 'POST' && resource === 'setup_intents' && !objectId) return this.createSetupIntent(params);
    if (method === 'GET' && resource === 'setup_intents' && objectId) {
      const intent = this.setupIntents.get(objectId);
      if (!intent) return this.missing('setup_intent', objectId);
      const method_ = intent.payment_method as string | null;
      return this.ok({
        ...intent,
        ...(expand.includes('payment_method') && method_ ? { payment_method: this.methodView(method_) } : {}),
      });
    }
    if (method === 'POST' && resource === 'payment_intents' && !objectId)
      return this.createPaymentIntent(params);
    if (method === 'GET' && resource === 'payment_intents' && objectId) {
      const intent = this.paymentIntents.get(objectId);
      if (!intent) return this.missing('payment_intent', objectId);
      return this.ok({
        ...intent,
        ...(expand.includes('latest_charge') && intent.latest_charge
          ? { latest_charge: { ...this.charges.get(intent.latest_charge) } }
          : {}),
      });
    }
    if (method === 'POST' && resource === 'refunds' && !objectId) return this.createRefund(params);
    return this.error(404, 'invalid_request_error', `Unrecognized request URL (${method}: ${path}).`);
  }

  /** A refund through the API: part or all of a succeeded PaymentIntent's charge, never more than is left. */
  private createRefund(params: Json): StoredAnswer {
    const intentId = String(params.payment_intent);
    const intent = this.paymentIntents.get(intentId);
    if (intent?.status !== 'succeeded') return this.missing('payment_intent', intentId);
    const charge = this.chargeOf(intentId);
    const amount = Number(params.amount);
    const left = (charge.amount as number) - (charge.amount_refunded as number);
    if (!Number.isInteger(amount) || amount < 1 || amount > left)
      return this.error(
        400,
        'invalid_request_error',
        `Refund amount (${params.amount}) is greater than unrefunded amount on charge (${left})`,
        'amount',
      );
    this.refund(intentId, amount);
    return this.ok({
      id: id('re'),
      object: 'refund',
      amount,
      currency: charge.currency,
      payment_intent: intentId,
      charge: charge.id,
      status: 'succeeded',
      metadata: params.metadata ?? {},
      created: Math.floor(Date.now() / 1000),
    });
  }

  private createCustomer(params: Json): StoredAnswer {
    const customer = {
      id: id('cus'),
      object: 'customer',
      name: params.name ?? null,
      email: params.email ?? null,
      metadata: params.metadata ?? {},
      created: Math.floor(Date.now() / 1000),
    };
    this.customers.set(customer.id, customer);
    return this.ok(customer);
  }

  private createSetupIntent(params: Json): StoredAnswer {
    const customer = params.customer as string | undefined;
    if (!customer || !this.customers.has(customer)) return this.missing('customer', String(customer));
    const setupId = id('seti');
    const intent = {
      id: setupId,
      object: 'setup_intent',
      customer,
      usage: params.usage ?? 'off_session',
      allowed_payment_method_types: params.allowed_payment_method_types ?? ['card'],
      status: 'requires_payment_method',
      client_secret: `${setupId}_secret_${randomBytes(12).toString('hex')}`,
      payment_method: null,
      last_setup_error: null,
      metadata: {},
    };
    this.setupIntents.set(setupId, intent);
    return this.ok(intent);
  }

  private createPaymentIntent(params: Json): StoredAnswer {
    const customer = params.customer as string | undefined;
    if (!customer || !this.customers.has(customer)) return this.missing('customer', String(customer));
    const method = this.paymentMethods.get(params.payment_method as string);
    if (!method) return this.missing('payment_method', String(params.payment_method));
    if (method.customer !== customer)
      return this.error(
        400,
        'invalid_request_error',
        `The provided PaymentMethod ${method.id} does not belong to customer ${customer}.`,
      );
    const amount = Number(params.amount);
    if (!Number.isInteger(amount) || amount < 1)
      return this.error(400, 'invalid_request_error', 'Invalid integer: amount', 'amount');
    if (params.confirm !== 'true')
      return this.error(400, 'invalid_request_error', 'The stand-in confirms at once only.');
    const offSession = params.off_session === 'true';
    if (!offSession && !params.return_url)
      return this.error(
        400,
        'invalid_request_error',
        'A return_url is needed to confirm on session.',
        'return_url',
      );
    const piId = id('pi');
    const intent: PaymentIntentState = {
      id: piId,
      object: 'payment_intent',
      amount,
      currency: String(params.currency),
      customer,
      payment_method: method.id as string,
      status: 'processing',
      client_secret: `${piId}_secret_${randomBytes(12).toString('hex')}`,
      last_payment_error: null,
      latest_charge: null,
      metadata: (params.metadata as Record<string, string> | undefined) ?? {},
      next_action: null,
    };
    this.paymentIntents.set(piId, intent);
    if (method.behaviour === 'succeeds') this.succeed(intent);
    else if (method.behaviour === 'declined')
      this.decline(intent, 'card_declined', 'Your card was declined.');
    else if (method.behaviour === 'requires_action' && offSession)
      this.decline(
        intent,
        'authentication_required',
        'Your card was declined. This transaction requires authentication.',
      );
    else if (method.behaviour === 'requires_action')
      Object.assign(intent, {
        status: 'requires_action',
        next_action: { type: 'use_stripe_sdk', use_stripe_sdk: {} },
      });
    if (intent.status === 'requires_payment_method')
      return {
        status: 402,
        body: {
          error: {
            type: 'card_error',
            code: (intent.last_payment_error as Json).code,
            decline_code: (intent.last_payment_error as Json).decline_code,
            message: (intent.last_payment_error as Json).message,
            charge: intent.latest_charge,
            payment_intent: { ...intent },
            request_log_url: null,
          },
        },
      };
    return this.ok({ ...intent });
  }

  private succeed(intent: PaymentIntentState): void {
    const charge = this.newCharge(intent, 'succeeded');
    Object.assign(intent, {
      status: 'succeeded',
      latest_charge: charge,
      last_payment_error: null,
      next_action: null,
    });
  }

  private decline(intent: PaymentIntentState, code: string, message: string): void {
    const charge = this.newCharge(intent, 'failed');
    Object.assign(intent, {
      status: 'requires_payment_method',
      latest_charge: charge,
      next_action: null,
      last_payment_error: {
        type: 'card_error',
        code,
        decline_code: code === 'card_declined' ? 'generic_decline' : undefined,
        message,
        charge,
      },
    });
  }

  private newCharge(intent: PaymentIntentState, status: string): string {
    const chargeId = id('ch');
    this.charges.set(chargeId, {
      id: chargeId,
      object: 'charge',
      amount: intent.amount,
      amount_refunded: 0,
      currency: intent.currency,
      customer: intent.customer,
      payment_intent: intent.id,
      payment_method: intent.payment_method,
      status,
      paid: status === 'succeeded',
      refunded: false,
      disputed: false,
      metadata: { ...intent.metadata },
    });
    return chargeId;
  }

  private chargeOf(paymentIntentId: string): Json {
    const intent = this.intent(paymentIntentId);
    const charge = intent.latest_charge ? this.charges.get(intent.latest_charge) : undefined;
    if (!charge || intent.status !== 'succeeded')
      throw new Error(`${paymentIntentId} has no succeeded charge`);
    return charge;
  }

  private methodView(methodId: string): Json {
    const { behaviour: _behaviour, ...view } = this.paymentMethods.get(methodId) ?? { behaviour: 'succeeds' };
    return view;
  }

  private ok(body: Json): StoredAnswer {
    return { status: 200, body };
  }

  private missing(kind: string, objectId: string): StoredAnswer {
    return this.error(
      404,
      'invalid_request_error',
      `No such ${kind}: '${objectId}'`,
      'id',
      'resource_missing',
    );
  }

  private error(status: number, type: string, message: string, param?: string, code?: string): StoredAnswer {
    return {
      status,
      body: { error: { type, message, ...(param ? { param } : {}), ...(code ? { code } : {}) } },
    };
  }
}

export async function startStripeStandIn(): Promise<StripeStandIn> {
  return new StripeStandIn().start();
}
