import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { displayMoney, money } from '../../lib/money.js';
import { GatewayRefusal, microsOfMinor, minorDigits } from './gateway.js';
import type { Payments } from './payments.js';
import type { TestGateway } from './test-gateway.js';

export interface TestGatewayRoutesDeps {
  testGateway: TestGateway;
  payments: Pick<Payments, 'onGatewayEvent'>;
}

const GatewayError = Type.Object({ error: Type.String(), message: Type.String() });
const RefParams = Type.Object({ ref: Type.String({ pattern: '^tgpay_[0-9a-f]{24}$' }) });

const htmlText = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const page = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${htmlText(title)}</title>
<style>body{font:16px system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#1a1b1e}
.box{border:1px solid #ced4da;border-radius:8px;padding:1.5rem}button{font:inherit;padding:.5rem 1rem;margin-right:.5rem;border-radius:6px;border:1px solid #868e96;cursor:pointer}
.primary{background:#228be6;color:#fff;border-color:#228be6}small{color:#495057}</style></head>
<body><div class="box">${body}</div><p><small>Switchboard test gateway: no real money moves (README, "Payments").</small></p></body></html>`;

/**
 * The built-in test gateway's own endpoints, outside the console's API as a real gateway's are:
 * its card form (card numbers go here, never to /api), and its confirmation page for the test card
 * that asks the cardholder to confirm. After the payer answers, the test gateway tells Switchboard,
 * as a gateway's webhook would (`payments.onGatewayEvent`), and sends the payer back to the console.
 * Registered only with PAYMENT_GATEWAY=test, which production refuses.
 */
export function testGatewayRoutes(parent: FastifyInstance, { testGateway, payments }: TestGatewayRoutesDeps) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    '/test-gateway/cards',
    {
      schema: {
        hide: true,
        body: Type.Object({
          customer: Type.String({ maxLength: 100 }),
          number: Type.String({ maxLength: 30 }),
          expMonth: Type.Integer(),
          expYear: Type.Integer(),
          cvc: Type.String({ maxLength: 4 }),
        }),
        response: { 201: Type.Object({ card: Type.String() }), 400: GatewayError },
      },
    },
    async (request, reply) => {
      try {
        const card = await testGateway.addCard({
          customerRef: request.body.customer,
          number: request.body.number,
          expMonth: request.body.expMonth,
          expYear: request.body.expYear,
          cvc: request.body.cvc,
        });
        return reply.code(201).send({ card });
      } catch (error) {
        if (error instanceof GatewayRefusal)
          return reply.code(400).send({ error: 'card_refused', message: error.message });
        throw error;
      }
    },
  );

  app.get(
    '/test-gateway/confirm/:ref',
    { schema: { hide: true, params: RefParams } },
    async (request, reply) => {
      const intent = await testGateway.intent(request.params.ref);
      reply.type('text/html; charset=utf-8').header('cache-control', 'no-store');
      if (!intent) return reply.code(404).send(page('Not found', '<h1>No such payment</h1>'));
      const amount = displayMoney(
        money(microsOfMinor(intent.amount_minor, minorDigits(intent.currency)), intent.currency),
        'en-US',
      );
      if (intent.status !== 'requires_action')
        return reply.send(
          page(
            'Payment',
            `<h1>This payment is ${htmlText(intent.status)}</h1><p><a href="/billing/payment-settings?payment=${htmlText(intent.payment_id)}">Back to Payment Settings</a></p>`,
          ),
        );
      const action = `/test-gateway/confirm/${htmlText(intent.ref)}`;
      return reply.send(
        page(
          'Confirm your payment',
          `<h1>Confirm your payment</h1><p>Your bank asks you to confirm the payment of <strong>${htmlText(amount)}</strong>.</p>
<form method="post" action="${action}"><button class="primary" name="outcome" value="complete">Complete payment</button><button name="outcome" value="fail">Fail payment</button></form>`,
        ),
      );
    },
  );

  app.post(
    '/test-gateway/confirm/:ref',
    {
      schema: {
        hide: true,
        params: RefParams,
        body: Type.Object({ outcome: Type.Union([Type.Literal('complete'), Type.Literal('fail')]) }),
      },
    },
    async (request, reply) => {
      const intent = await testGateway.intent(request.params.ref);
      if (!intent)
        return reply
          .code(404)
          .type('text/html; charset=utf-8')
          .send(page('Not found', '<h1>No such payment</h1>'));
      await testGateway.settle(intent.ref, request.body.outcome);
      await payments.onGatewayEvent({ gatewayRef: intent.ref });
      return reply.redirect(`/billing/payment-settings?payment=${intent.payment_id}`, 303);
    },
  );

  app.post(
    '/test-gateway/payments/:ref/refund',
    {
      schema: {
        hide: true,
        params: RefParams,
        response: { 200: Type.Object({ refunded: Type.Boolean() }), 404: GatewayError },
      },
    },
    async (request, reply) => {
      const intent = await testGateway.intent(request.params.ref);
      if (!intent) return reply.code(404).send({ error: 'not_found', message: 'No such payment.' });
      const refunded = await testGateway.settle(intent.ref, 'refund');
      await payments.onGatewayEvent({ gatewayRef: intent.ref });
      return { refunded };
    },
  );
}
