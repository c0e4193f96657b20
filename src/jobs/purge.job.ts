import { Type } from '@sinclair/typebox';
import type { Clock } from '../lib/clock.js';
import { defineJob } from './definition.js';
import type { JobStore } from './store.js';

/** Completed jobs are kept a day (for counts); failed ones 30 days, for staff to look at and retry. */
const COMPLETED_KEPT_MS = 86_400_000;
const FAILED_KEPT_MS = 30 * 86_400_000;

export function purgeJobsJob(store: JobStore, clock: Clock) {
  return defineJob({
    name: 'jobs.purge',
    payload: Type.Object({}),
    schedule: { everySeconds: 3600 },
    async handle() {
      const now = clock.now().getTime();
      await store.purge(new Date(now - COMPLETED_KEPT_MS), new Date(now - FAILED_KEPT_MS));
    },
  });
}
