import { Type } from '@sinclair/typebox';
import { defineJob } from './definition.js';
import type { JobStore } from './store.js';

/** Completed jobs are kept a day (for counts); failed ones 30 days, for staff to look at and retry. */
export function purgeJobsJob(store: JobStore) {
  return defineJob({
    name: 'jobs.purge',
    payload: Type.Object({}),
    schedule: { everySeconds: 3600 },
    handle: () => store.purge({ completedDays: 1, failedDays: 30 }),
  });
}
