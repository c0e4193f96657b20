import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { engineOf, engineResponses } from '../../http/engine-door.js';
import { UsageAnswer, UsageBatch } from './engine-schemas.js';
import type { UsageCharging } from './usage.js';

/** What the engine door's usage route uses. */
export interface EngineRoutesDeps {
  usage: Pick<UsageCharging, 'charge'>;
}

const tags = ['Engine door'];

/** The engine door's routes (under /api/engine). */
export function engineRoutes(door: FastifyInstance, { usage }: EngineRoutesDeps) {
  const app = door.withTypeProvider<TypeBoxTypeProvider>();
  app.post(
    '/usage',
    {
      schema: {
        tags,
        summary:
          'Post 1 to 1,000 usage events: each is rated and charged once (an id sent before is a duplicate) or rejected with its reason',
        body: UsageBatch,
        response: engineResponses({ 200: UsageAnswer }),
      },
    },
    async (request) => ({ events: await usage.charge(engineOf(request), request.body.events) }),
  );
}
