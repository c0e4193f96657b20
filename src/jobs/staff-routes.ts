import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { consoleResponses } from '../http/console-schemas.js';
import { clientOf, staffSessionOf } from '../http/guard.js';
import { JobsOverview } from './schemas.js';
import type { StaffJobs } from './staff.js';

const tags = ['Staff console'];
/** Staff > Jobs: the background jobs by state, the failed ones with their last error, and retry. */
export function jobStaffRoutes(door: FastifyInstance, deps: { staffJobs: StaffJobs }) {
  const app = door.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/api/staff/jobs',
    {
      schema: {
        tags,
        summary: 'Jobs by name and state, and the failed ones (newest first) with their last error',
        response: consoleResponses({ 200: JobsOverview }),
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
