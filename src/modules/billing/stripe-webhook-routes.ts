import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { DomainError } from '../../lib/errors.js';
import type { PaymentGateway } from './gateway.js';
import { StripeGateway } from './stripe-gateway.js';
import { InvalidStripeSignature, type StripeEventReference, stripeWebhookEvent } from './stripe-webhook.js';

/** What the webhook uses: the payments service and its gateway (the Stripe driver). */
export interface StripeWebhookDeps {
  payments: {
    gateway: PaymentGateway;
    onGatewayEvent(reference: StripeEventReference): Promise<unknown>;
  };
}

const Problem = Type.Object({ error: Type.String(), message: Type.String() });

/**
 * `POST /webhooks/stripe`: Stripe's events, in their own plugin at the app level, outside the
 * console door: no session and no Origin check (the SDK's signature check authenticates it), and
 * the body stays the raw bytes Stripe signed. Answers 400 for a bad signature, 200 once the event
 * is applied or has nothing to apply (an unknown payment, an event type not used: Stripe must not
 * send those again for days), and 500 when it could not be applied now (Stripe unreachable for the
 * check), so that Stripe sends it again.
 */
export async function stripeWebhookRoutes(app: FastifyInstance, deps: StripeWebhookDeps): Promise<void> {
  const gateway = deps.payments.gateway;
  if (!(gateway instanceof StripeGateway))
    throw new Error('The Stripe webhook needs PAYMENT_GATEWAY=stripe (the Stripe driver).');
  await app.register(async (webhooks) => {
    webhooks.removeContentTypeParser('application/json');
    webhooks.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) =>
      done(null, body),
    );
    webhooks.setErrorHandler((error, request, reply) => {
      // Fastify's own refusals (another content type, a body too large) stay what they are.
      const status = (error as { statusCode?: number }).statusCode;
      if (status !== undefined && status >= 400 && status < 500)
        return reply.code(status).send({ error: 'invalid_request', message: (error as Error).message });
      request.log.error({ err: error }, 'stripe webhook: not applied, Stripe will send it again');
      return reply.code(500).send({
        error: 'webhook_not_applied',
        message: 'The event could not be applied now; Stripe sends it again.',
      });
    });
    webhooks.post(
      '/webhooks/stripe',
      {
        schema: {
          hide: true,
          response: { 200: Type.Object({ received: Type.Boolean() }), 400: Problem, 500: Problem },
        },
      },
      async (request, reply) => {
        let reference: StripeEventReference | null;
        try {
          reference = stripeWebhookEvent(
            gateway,
            Buffer.isBuffer(request.body) ? request.body : undefined,
            request.headers['stripe-signature'],
          );
        } catch (error) {
          if (!(error instanceof InvalidStripeSignature)) throw error;
          request.log.warn({ reason: error.message }, 'stripe webhook: refused signature');
          return reply.code(400).send({ error: 'invalid_signature', message: error.message });
        }
        if (!reference) return { received: true };
        try {
          const payment = await deps.payments.onGatewayEvent(reference);
          if (!payment) request.log.info({ reference }, 'stripe webhook: no such payment here, ignored');
        } catch (error) {
          // Stripe says the payment is not one it can tell about (another Stripe account or mode):
          // sending the event again would not change that.
          if (!(error instanceof DomainError) || error.status >= 500) throw error;
          request.log.warn({ reference, code: error.code }, 'stripe webhook: not applicable, ignored');
        }
        return { received: true };
      },
    );
  });
}
