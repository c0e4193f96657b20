import { Type } from '@sinclair/typebox';
import { defineJob } from '../../jobs/definition.js';
import type { Payments } from './payments.js';

/**
 * Every minute, once across instances: payments still waiting on the gateway after a minute are
 * asked about again (a server killed between the gateway's answer and the credit, a webhook lost).
 */
export function reconcilePaymentsJob(payments: Pick<Payments, 'reconcile'>) {
  return defineJob({
    name: 'billing.payments-reconcile',
    payload: Type.Object({}),
    schedule: { everySeconds: 60 },
    handle: async () => {
      await payments.reconcile();
    },
  });
}
