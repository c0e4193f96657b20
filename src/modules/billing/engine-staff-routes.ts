import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { consoleResponses } from '../../http/console-schemas.js';
import { clientOf, staffSessionOf } from '../../http/guard.js';
import {
  EngineCreate,
  EngineCreated,
  EngineDisconnect,
  EngineDisconnectSet,
  EngineList,
  EngineView,
} from './engine-schemas.js';
import type { EngineService } from './engines.js';

/** What the staff's engine routes use. */
export interface EngineStaffRoutesDeps {
  engines: Pick<EngineService, 'create' | 'list' | 'revoke' | 'setDisconnectUrl'>;
}

const tags = ['Staff console'];

/** Staff > Engines: create an engine credential (its key shown once), list them, revoke one. */
export function engineStaffRoutes(door: FastifyInstance, { engines }: EngineStaffRoutesDeps) {
  const app = door.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/api/staff/engines',
    {
      schema: {
        tags,
        summary:
          'Engine credentials, newest first: name, created, last used, revoked, credit sessions open now',
        response: consoleResponses({ 200: EngineList }),
      },
    },
    async () => ({ engines: await engines.list() }),
  );

  app.post(
    '/api/staff/engines',
    {
      schema: {
        tags,
        summary: 'Create an engine credential; the answer is the only time its key is shown',
        body: EngineCreate,
        response: consoleResponses({ 201: EngineCreated }, 409),
      },
    },
    async (request, reply) => {
      const actor = { ...clientOf(request), staffId: staffSessionOf(request).staffId };
      reply.code(201);
      return engines.create(actor, request.body.name);
    },
  );

  app.post(
    '/api/staff/engines/:engineId/revoke',
    {
      schema: {
        tags,
        summary: 'Revoke an engine credential: its key is refused from its next request on',
        params: Type.Object({ engineId: Type.String({ format: 'uuid' }) }),
        response: consoleResponses({ 200: Type.Object({ engine: EngineView }) }, 404),
      },
    },
    async (request) => ({
      engine: await engines.revoke(
        { ...clientOf(request), staffId: staffSessionOf(request).staffId },
        request.params.engineId,
      ),
    }),
  );

  app.put(
    '/api/staff/engines/:engineId/disconnect',
    {
      schema: {
        tags,
        summary:
          'Set where the engine receives disconnect requests (credit control); the answer is the only time the new signing secret is shown',
        params: Type.Object({ engineId: Type.String({ format: 'uuid' }) }),
        body: EngineDisconnect,
        response: consoleResponses({ 200: EngineDisconnectSet }, 404),
      },
    },
    async (request) =>
      engines.setDisconnectUrl(
        { ...clientOf(request), staffId: staffSessionOf(request).staffId },
        request.params.engineId,
        request.body.url,
        request.body.protocol,
      ),
  );
}
