import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { consoleResponses, NoContent } from '../../http/console-schemas.js';
import { clientOf, staffSessionOf } from '../../http/guard.js';
import { ClearFlag, FlaggedList, FlagParams } from './schemas.js';
import type { SuspiciousActivity } from './service.js';

export interface SuspiciousActivityRoutesDeps {
  suspiciousActivity: Pick<SuspiciousActivity, 'flagged' | 'clear'>;
}

/** Staff's Flagged list: accounts the suspicious-activity rules held for review; staff clear or suspend. */
export function suspiciousActivityRoutes(
  parent: FastifyInstance,
  { suspiciousActivity }: SuspiciousActivityRoutesDeps,
) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/api/staff/suspicious-activity',
    {
      schema: {
        tags: ['Staff console'],
        summary:
          'Accounts flagged by the suspicious-activity rules: open flags first, then those resolved in the last 30 days',
        response: consoleResponses({ 200: FlaggedList }),
      },
    },
    async () => ({ flags: await suspiciousActivity.flagged() }),
  );

  app.post(
    '/api/staff/suspicious-activity/:flagId/clear',
    {
      schema: {
        tags: ['Staff console'],
        summary: 'Clear a flag with a note: the activity was looked at and is fine',
        params: FlagParams,
        body: ClearFlag,
        response: consoleResponses({ 204: NoContent }, 404, 409),
      },
    },
    async (request, reply) => {
      await suspiciousActivity.clear(
        { ...clientOf(request), staffId: staffSessionOf(request).staffId },
        request.params.flagId,
        request.body.note,
      );
      return reply.code(204).send();
    },
  );
}
