export type JobState = 'queued' | 'running' | 'completed' | 'failed';

/** GET /api/staff/jobs: how many jobs of each name are in each state, and the failed ones. */
export interface JobsOverview {
  counts: { name: string; state: JobState; count: number }[];
  failures: FailedJob[];
}

export interface FailedJob {
  id: string;
  name: string;
  key: string | null;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  failedAt: string | null;
}

export const jobsKey = ['staff', 'jobs'] as const;
