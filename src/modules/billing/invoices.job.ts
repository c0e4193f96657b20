import { Type } from '@sinclair/typebox';
import { defineJob } from '../../jobs/definition.js';
import type { InvoiceService } from './invoices.js';

/**
 * Hourly: the monthly invoice of every main account whose month ended (in its time zone) at least an
 * hour ago and is not invoiced yet. Once per period across instances (the schedule), and once per
 * account and month whatever runs it (the invoice's key, checked under the counter's lock).
 */
export function issueInvoicesJob(invoices: Pick<InvoiceService, 'issueDue'>) {
  return defineJob({
    name: 'billing.invoices.issue',
    payload: Type.Object({}),
    schedule: { everySeconds: 3600 },
    handle: async () => {
      await invoices.issueDue();
    },
  });
}
