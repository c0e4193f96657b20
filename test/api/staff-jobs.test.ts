import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onboardedUser, setUpStaff, signInStaff } from '../support/journeys.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

/** A job that used its last attempt, as the runner leaves one (the outbox purge: harmless to run again). */
async function failedJob(lastError: string) {
  const row = await server.system.database.db
    .insertInto('jobs')
    .values({
      name: 'outbox.purge',
      key: `test-${randomBytes(6).toString('hex')}`,
      payload: '{}',
      state: 'failed',
      attempts: 5,
      max_attempts: 5,
      last_error: lastError,
      finished_at: server.clock.now(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return String(row.id);
}

describe('Staff > Jobs', () => {
  it('lists jobs by state and the failed ones with their last error, and retries one, audited', async () => {
    const staff = await setUpStaff(server);
    const client = await signInStaff(server, staff);
    const jobId = await failedJob('could not reach the database: disk full');

    const overview = await client.get('/api/staff/jobs');
    expect(overview.status).toBe(200);
    expect(overview.body.counts).toContainEqual({
      name: 'outbox.purge',
      state: 'failed',
      count: expect.any(Number),
    });
    const failure = (overview.body.failures as { id: string }[]).find((job) => job.id === jobId);
    expect(failure).toMatchObject({
      name: 'outbox.purge',
      attempts: 5,
      lastError: 'could not reach the database: disk full',
      failedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });

    const retried = await client.post(`/api/staff/jobs/${jobId}/retry`, {});
    expect(retried.status, JSON.stringify(retried.body)).toBe(200);
    expect(retried.body).toEqual({ job: { id: jobId, name: 'outbox.purge' } });
    const audit = await server.system.database.db
      .selectFrom('audit_events')
      .select(['action', 'details'])
      .where('staff_id', '=', staff.id)
      .where('action', '=', 'job.retried')
      .execute();
    expect(audit).toEqual([{ action: 'job.retried', details: { jobId, name: 'outbox.purge' } }]);
    await expect
      .poll(
        async () =>
          (
            await server.system.database.db
              .selectFrom('jobs')
              .select('state')
              .where('id', '=', BigInt(jobId))
              .executeTakeFirstOrThrow()
          ).state,
      )
      .toBe('completed');

    const again = await client.post(`/api/staff/jobs/${jobId}/retry`, {});
    expect(again.status).toBe(404);
    expect(again.body.code).toBe('job_not_failed');
  });

  it('is not reachable with a customer session', async () => {
    const customer = await onboardedUser(server);
    expect((await customer.client.get('/api/staff/jobs')).status).toBe(401);
    const jobId = await failedJob('still failed');
    expect((await customer.client.post(`/api/staff/jobs/${jobId}/retry`, {})).status).toBe(401);
  });
});
