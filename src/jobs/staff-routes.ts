import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { consoleResponses, Timestamp } from '../http/console-schemas.js';
import { clientOf, staffSessionOf } from '../http/guard.js';
import type { StaffJobs } from './staff.js';

const tags = ['Staff console'];
const JobState = Type.Union([
  Type.Literal('queued'),
  Type.Literal('running'),
  Type.Literal('completed'),
  Type.Literal('failed'),
]);
const Overview = Type.Object({
  counts: Type.Array(Type.Object({ name: Type.String(), state: JobState, count: Type.Integer() })),
  failures: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      key: Type.Union([Type.String(), Type.Null()]),
      attempts: Type.Integer(),
      lastError: Type.Union([Type.String(), Type.Null()]),
      createdAt: Timestamp(),
      failedAt: Type.Union([Timestamp(), Type.Null()]),
    }),
  ),
});

/** Staff > Jobs: the background jobs by state, the failed ones with their last error, and retry. */
export function jobStaffRoutes(door: FastifyInstance, deps: { staffJobs: StaffJobs }) {
  const app = door.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/api/staff/jobs',
    {
      schema: {
        tags,
        summary: 'Jobs by name and state, and the failed ones (newest first) with their last error',
        response: consoleResponses({ 200: Overview }),
      },
    },
    async () => deps.staffJobs.overview(),
  );

  app.post(
    '/api/staff/jobs/:jobId/retry',
    {
      schema: {
        tags,
        summary: 'Run a failed job again from its first attempt',
        params: Type.Object({ jobId: Type.String({ pattern: '^[0-9]{1,18}$' }) }),
        response: consoleResponses(
          { 200: Type.Object({ job: Type.Object({ id: Type.String(), name: Type.String() }) }) },
          404,
        ),
      },
    },
    async (request) => ({
      job: await deps.staffJobs.retry(
        { ...clientOf(request), staffId: staffSessionOf(request).staffId },
        request.params.jobId,
      ),
    }),
  );
}
