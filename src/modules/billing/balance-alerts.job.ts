import { Type } from '@sinclair/typebox';
import { defineJob } from '../../jobs/definition.js';
import { ALERT_WEBHOOK_JOB, type BalanceAlerts } from './balance-alerts.js';

/**
 * One balance alert POSTed to the account's webhook, signed when sent. Retried with backoff while
 * the receiver is unreachable or answers anything but 2xx: 8 attempts, 30 s doubling (about an hour
 * in all). The same body (and its `id`) every attempt, so a receiver can drop a repeat.
 */
export function balanceAlertWebhookJob(alerts: Pick<BalanceAlerts, 'deliverWebhook'>) {
  return defineJob({
    name: ALERT_WEBHOOK_JOB,
    payload: Type.Object({ accountId: Type.String(), deliveryId: Type.String(), body: Type.String() }),
    retry: { limit: 8, backoffSeconds: 30 },
    handle: (payload) => alerts.deliverWebhook(payload),
  });
}
