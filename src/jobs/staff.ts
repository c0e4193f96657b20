import { type Db, inTransaction } from '../db/database.js';
import { assertThat, NotFound } from '../lib/errors.js';
import type { Actor, AuditLog } from '../modules/audit/audit.js';
import type { Jobs } from './runner.js';

/** How many failed jobs the staff Jobs page lists, newest first. */
const FAILURES_SHOWN = 100;

/** The staff console's view of the jobs: counts by job and state, the failed with their last error, and retry. */
export class StaffJobs {
  constructor(
    private readonly db: Db,
    private readonly jobs: Jobs,
    private readonly audit: AuditLog,
  ) {}

  async overview() {
    const [counts, failures] = await Promise.all([
      this.jobs.store.counts(),
      this.jobs.store.failures(FAILURES_SHOWN),
    ]);
    return { counts, failures };
  }

  /** Runs a failed job again from its first attempt; the retry is audited with who asked. */
  async retry(actor: Actor, jobId: string) {
    return inTransaction(this.db, async () => {
      const retried = await this.jobs.retry(jobId);
      assertThat(
        retried,
        NotFound('job_not_failed', 'No failed job has this id: it may have been retried already.'),
      );
      await this.audit.record(actor, { action: 'job.retried', details: { jobId, name: retried.name } });
      return { id: jobId, name: retried.name };
    });
  }
}
