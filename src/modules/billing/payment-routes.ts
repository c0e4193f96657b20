import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../../config.js';
import { consoleResponses, NoContent, PdfFile } from '../../http/console-schemas.js';
import { clientOf, memberSessionOf } from '../../http/guard.js';
import { sendPdf } from '../../http/pdf-reply.js';
import type { AutoRecharge, AutoRechargeSettings } from './auto-recharge.js';
import {
  AddCard,
  AutoRechargeInput,
  AutoRechargeView,
  CardSetup,
  MethodParams,
  PaymentMethod,
  PaymentParams,
  PaymentSettings,
  Payments as PaymentsList,
  PaymentView,
  Recharge,
} from './payment-schemas.js';
import type { PaymentMethodRow, PaymentRow } from './payment-store.js';
import type { Payments } from './payments.js';
import { TEST_CARDS } from './test-gateway.js';

export interface PaymentRoutesDeps {
  config: Pick<Config, 'currency' | 'rechargeMinMicros' | 'rechargeMaxMicros' | 'operatorName'>;
  payments: Payments;
  autoRecharge: AutoRecharge;
}

const tags = ['Console: billing'];

const methodView = (method: PaymentMethodRow): PaymentMethod => ({
  id: method.id,
  brand: method.brand,
  last4: method.last4,
  expMonth: method.exp_month,
  expYear: method.exp_year,
  createdAt: method.created_at,
});

type Listed = Pick<
  PaymentRow,
  | 'id'
  | 'number'
  | 'purpose'
  | 'amount_micros'
  | 'currency'
  | 'status'
  | 'failure_reason'
  | 'action_url'
  | 'credited_at'
  | 'reversed_at'
  | 'reversal_reason'
  | 'created_at'
> & { brand?: string | null; last4?: string | null; clientSecret?: string | null };

export const paymentView = (payment: Listed): PaymentView => ({
  id: payment.id,
  number: payment.number.toString(),
  purpose: payment.purpose,
  amountMicros: payment.amount_micros.toString(),
  currency: payment.currency,
  status: payment.status,
  failureReason: payment.failure_reason,
  actionUrl: payment.action_url,
  clientSecret: payment.clientSecret ?? null,
  card: payment.brand && payment.last4 ? `${payment.brand} •••• ${payment.last4}` : null,
  creditedAt: payment.credited_at,
  reversedAt: payment.reversed_at,
  reversalReason: payment.reversal_reason,
  createdAt: payment.created_at,
});

/** Billing > Payment Settings: saved cards, Recharge now and the payments made (Owner, Admin, Financial Analyst). */
export function paymentRoutes(
  parent: FastifyInstance,
  { config, payments, autoRecharge }: PaymentRoutesDeps,
) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const actorOf = (request: FastifyRequest) => ({
    ...clientOf(request),
    userId: memberSessionOf(request).userId,
  });

  app.get(
    '/api/billing/payment-settings',
    {
      schema: {
        tags,
        summary: 'The payment gateway, the recharge limits and the saved cards',
        response: consoleResponses({ 200: PaymentSettings }),
      },
    },
    async (request) => {
      const accountId = memberSessionOf(request).accountId;
      const gateway = payments.gatewayName;
      return {
        gateway,
        currency: config.currency,
        rechargeMinMicros: config.rechargeMinMicros.toString(),
        rechargeMaxMicros: config.rechargeMaxMicros.toString(),
        methods: (await payments.methods(accountId)).map(methodView),
        testCards:
          gateway === 'test' ? Object.entries(TEST_CARDS).map(([number, card]) => ({ number, ...card })) : [],
      };
    },
  );

  app.post(
    '/api/billing/payment-methods/setup',
    {
      schema: {
        tags,
        summary: "Starts adding a card: what the gateway's card form needs",
        response: consoleResponses({ 200: CardSetup }),
      },
    },
    async (request) => payments.startCardSetup(memberSessionOf(request).accountId),
  );

  app.post(
    '/api/billing/payment-methods',
    {
      schema: {
        tags,
        summary: 'Saves the card the gateway collected',
        body: AddCard,
        response: consoleResponses({ 201: PaymentMethod }),
      },
    },
    async (request, reply) => {
      const method = await payments.addCard(
        actorOf(request),
        memberSessionOf(request).accountId,
        request.body.proof,
      );
      return reply.code(201).send(methodView(method));
    },
  );

  app.delete(
    '/api/billing/payment-methods/:methodId',
    {
      schema: {
        tags,
        summary: 'Removes a saved card (refused while auto-recharge charges it)',
        params: MethodParams,
        response: consoleResponses({ 204: NoContent }, 404, 409),
      },
    },
    async (request, reply) => {
      await payments.removeCard(
        actorOf(request),
        memberSessionOf(request).accountId,
        request.params.methodId,
      );
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/billing/recharges',
    {
      schema: {
        tags,
        summary: 'Recharge now: charges a saved card; the credit lands once the gateway says it succeeded',
        body: Recharge,
        response: consoleResponses({ 201: PaymentView }, 404),
      },
    },
    async (request, reply) => {
      const accountId = memberSessionOf(request).accountId;
      const payment = await payments.recharge(actorOf(request), accountId, request.body);
      const method = (await payments.methods(accountId)).find((m) => m.id === payment.payment_method_id);
      return reply.code(201).send(paymentView({ ...payment, brand: method?.brand, last4: method?.last4 }));
    },
  );

  app.get(
    '/api/billing/payments',
    {
      schema: {
        tags,
        summary: 'The payments made, newest first (the last 50)',
        response: consoleResponses({ 200: PaymentsList }),
      },
    },
    async (request) => ({
      payments: (await payments.history(memberSessionOf(request).accountId)).map(paymentView),
    }),
  );

  app.get(
    '/api/billing/payments/:paymentId',
    {
      schema: {
        tags,
        summary: 'One payment, as the gateway last told of it',
        params: PaymentParams,
        response: consoleResponses({ 200: PaymentView }, 404),
      },
    },
    async (request) => {
      const accountId = memberSessionOf(request).accountId;
      const payment = await payments.payment(accountId, request.params.paymentId);
      const method = (await payments.methods(accountId)).find((m) => m.id === payment.payment_method_id);
      return paymentView({ ...payment, brand: method?.brand, last4: method?.last4 });
    },
  );

  app.get(
    '/api/billing/payments/:paymentId/receipt.pdf',
    {
      schema: {
        tags,
        summary: 'The receipt of a payment received (PDF)',
        params: PaymentParams,
        produces: ['application/pdf'],
        response: consoleResponses({ 200: PdfFile }, 404, 409),
      },
    },
    async (request, reply) => {
      const receipt = await payments.receipt(
        memberSessionOf(request).accountId,
        request.params.paymentId,
        config.operatorName,
      );
      return sendPdf(reply, receipt);
    },
  );

  const autoRechargeView = (settings: AutoRechargeSettings | undefined): AutoRechargeView => ({
    enabled: settings?.enabled ?? false,
    thresholdMicros: (settings?.thresholdMicros ?? 0n).toString(),
    mode: settings?.mode ?? 'target',
    amountMicros: (settings?.amountMicros ?? 0n).toString(),
    dailyCapMicros: (settings?.dailyCapMicros ?? 0n).toString(),
    monthlyCapMicros: (settings?.monthlyCapMicros ?? 0n).toString(),
    paymentMethodId: settings?.paymentMethodId ?? null,
    consecutiveFailures: settings?.consecutiveFailures ?? 0,
    currency: config.currency,
  });

  app.get(
    '/api/billing/auto-recharge',
    {
      schema: {
        tags,
        summary: 'Auto-recharge settings (off, with zeros, until saved)',
        response: consoleResponses({ 200: AutoRechargeView }),
      },
    },
    async (request) => autoRechargeView(await autoRecharge.settings(memberSessionOf(request).accountId)),
  );

  app.put(
    '/api/billing/auto-recharge',
    {
      schema: {
        tags,
        summary: 'Saves auto-recharge: threshold, fixed amount or target, daily and monthly caps, the card',
        body: AutoRechargeInput,
        response: consoleResponses({ 200: AutoRechargeView }),
      },
    },
    async (request) =>
      autoRechargeView(
        await autoRecharge.save(actorOf(request), memberSessionOf(request).accountId, request.body),
      ),
  );
}
