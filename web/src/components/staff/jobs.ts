export type { FailedJob, JobState, JobsOverview } from '@server/jobs/schemas';

export const jobsKey = ['staff', 'jobs'] as const;
