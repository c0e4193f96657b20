import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { clientOf, sessionOf } from '../http/guard.js';
import type { StaffJobs } from './staff.js';

const tags = ['Staff console'];
const JobState = Type.Union([
  Type.Literal('queued'),
  Type.Literal('running'),
  Type.Literal('completed'),
  Type.Literal('failed'),
]);
/** A time, answered as an ISO 8601 string (the serializer turns the Date the store gives into one). */
const Timestamp = Type.Unsafe<Date>({ type: 'string', format: 'date-time' });
const Overview = Type.Object({
  counts: Type.Array(Type.Object({ name: Type.String(), state: JobState, count: Type.Integer() })),
  failures: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      key: Type.Union([Type.String(), Type.Null()]),
      attempts: Type.Integer(),
      lastError: Type.Union([Type.String(), Type.Null()]),
      createdAt: Timestamp,
      failedAt: Type.Union([Timestamp, Type.Null()]),
    }),
  ),
});
/** The console door's problem answer (src/http/errors.ts). */
const Problem = Type.Object({
  type: Type.String(),
  status: Type.Integer(),
  code: Type.String(),
  title: Type.String(),
  detail: Type.String(),
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
        response: { 200: Overview },
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
        response: {
          200: Type.Object({ job: Type.Object({ id: Type.String(), name: Type.String() }) }),
          404: Problem,
        },
      },
    },
    async (request) => ({
      job: await deps.staffJobs.retry(
        { ...clientOf(request), staffId: sessionOf(request).staffId },
        request.params.jobId,
      ),
    }),
  );
}
