import { Type } from '@sinclair/typebox';
import { defineJob } from '../../jobs/definition.js';
import type { UsageSummaryService } from './usage-summary.js';

/**
 * Hourly: the daily usage summary email of every account whose local time has passed the send hour
 * and whose yesterday is not mailed yet. Time zones are whole or half hours off UTC (a few 45 minutes),
 * so an hourly run reaches each account within its send hour.
 */
export function usageSummaryEmailJob(usage: Pick<UsageSummaryService, 'sendDueSummaries'>) {
  return defineJob({
    name: 'billing.usage-summary-email',
    payload: Type.Object({}),
    schedule: { everySeconds: 3600 },
    handle: async () => {
      await usage.sendDueSummaries();
    },
  });
}
