import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { consoleResponses } from '../../http/console-schemas.js';
import { clientOf, memberSessionOf } from '../../http/guard.js';
import { formatMoney } from '../../lib/money.js';
import type { AlertSettingsView, BalanceAlerts } from './balance-alerts.js';
import { AlertSettings, AlertSettingsUpdate, WebhookSecret } from './balance-alerts-schemas.js';

/** What Billing > Payment Settings' balance alerts use. */
export interface BalanceAlertRoutesDeps {
  balanceAlerts: Pick<BalanceAlerts, 'view' | 'save' | 'rotateSecret'>;
}

const tags = ['Console: billing'];

const answer = (view: AlertSettingsView, webhookSecret?: string): AlertSettings => ({
  currency: view.currency,
  defaultThresholds: view.defaultThresholdsMicros.map(formatMoney),
  customThresholds: view.customThresholdsMicros.map(formatMoney),
  emails: view.emails,
  webhookUrl: view.webhookUrl,
  webhookSecretSet: view.webhookSecretSet,
  suggestedThreshold:
    view.suggestedThresholdMicros === null ? null : formatMoney(view.suggestedThresholdMicros),
  ...(webhookSecret ? { webhookSecret } : {}),
});

/** Billing > Payment Settings, balance alerts: thresholds, extra addresses and the signed webhook (Owner, Admin, Financial Analyst). */
export function balanceAlertRoutes(parent: FastifyInstance, { balanceAlerts }: BalanceAlertRoutesDeps) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/api/billing/alerts',
    {
      schema: {
        tags,
        summary:
          "The account's balance alerts: the default thresholds, its own, extra addresses, the webhook and a suggested threshold",
        response: consoleResponses({ 200: AlertSettings }, 404),
      },
    },
    async (request) => answer(await balanceAlerts.view(memberSessionOf(request).accountId)),
  );

  app.put(
    '/api/billing/alerts',
    {
      schema: {
        tags,
        summary:
          'Save the balance alerts: up to 3 thresholds of your own, up to 5 more addresses, a webhook URL (a new webhook gets its signing secret in this answer, once)',
        body: AlertSettingsUpdate,
        response: consoleResponses({ 200: AlertSettings }, 404),
      },
    },
    async (request) => {
      const session = memberSessionOf(request);
      const { view, webhookSecret } = await balanceAlerts.save(
        { ...clientOf(request), userId: session.userId },
        session.accountId,
        request.body,
      );
      return answer(view, webhookSecret);
    },
  );

  app.post(
    '/api/billing/alerts/webhook-secret',
    {
      schema: {
        tags,
        summary: 'Issue a new webhook signing secret (the old one stops signing at once); shown this once',
        response: consoleResponses({ 200: WebhookSecret }, 404, 409),
      },
    },
    async (request) => {
      const session = memberSessionOf(request);
      return {
        webhookSecret: await balanceAlerts.rotateSecret(
          { ...clientOf(request), userId: session.userId },
          session.accountId,
        ),
      };
    },
  );
}
