import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { clientOf, sessionOf } from '../../http/guard.js';
import type { System } from '../../system.js';
import { consoleScope } from '../applications/routes.js';

const tags = ['Console: endpoints'];
const EndpointParams = Type.Object({ endpointId: Type.String({ maxLength: 40 }) });

/** The Endpoints page. */
export function endpointRoutes(app: FastifyInstance, system: System) {
  const { endpoints, applications, config } = system;
  const actorOf = (request: FastifyRequest) => ({ ...clientOf(request), userId: sessionOf(request).userId });

  app.get(
    '/api/endpoints',
    { schema: { tags, summary: 'SIP endpoints of the account and its subaccounts' } },
    async (request) => {
      const page = await endpoints.page(await consoleScope(system, request), 500, 0);
      return {
        endpoints: page.rows.map((row) => ({
          endpointId: row.endpoint_id,
          username: row.username,
          alias: row.alias,
          appId: row.app_id,
          subaccount: row.subaccount_auth_id,
          sipUri: `sip:${row.username}@${config.sipDomain}`,
          createdAt: row.created_at,
        })),
        total: page.total,
      };
    },
  );

  app.post<{
    Body: { username: string; password: string; alias: string; appId?: string; subaccount?: string };
  }>(
    '/api/endpoints',
    {
      schema: {
        tags,
        summary: 'Create an endpoint',
        body: Type.Object({
          username: Type.String({ maxLength: 40 }),
          password: Type.String({ maxLength: 256 }),
          alias: Type.String({ maxLength: 200 }),
          appId: Type.Optional(Type.String({ maxLength: 40 })),
          subaccount: Type.Optional(
            Type.String({ maxLength: 40, description: 'SA Auth ID the endpoint belongs to' }),
          ),
        }),
      },
    },
    async (request, reply) => {
      const scope = await consoleScope(system, request);
      const { subaccount, appId, username, password, alias } = request.body;
      // An endpoint created for a subaccount is created in the subaccount's own scope.
      const owner = subaccount
        ? { ...scope, subaccount: await system.subaccounts.resolve(scope.mainAccountId, subaccount) }
        : scope;
      const created = await endpoints.create(actorOf(request), owner, {
        username,
        password,
        alias,
        applicationId: appId ? (await applications.get(owner, appId)).id : null,
      });
      return reply.code(201).send(created);
    },
  );

  app.patch<{
    Params: { endpointId: string };
    Body: { password?: string; alias?: string; appId?: string | null };
  }>(
    '/api/endpoints/:endpointId',
    {
      schema: {
        tags,
        summary: 'Change an endpoint (password, alias, application)',
        params: EndpointParams,
        body: Type.Object({
          password: Type.Optional(Type.String({ maxLength: 256 })),
          alias: Type.Optional(Type.String({ maxLength: 200 })),
          appId: Type.Optional(Type.Unsafe<string | null>({ type: ['string', 'null'], maxLength: 40 })),
        }),
      },
    },
    async (request, reply) => {
      const scope = await consoleScope(system, request);
      const { appId, ...rest } = request.body;
      await endpoints.update(actorOf(request), scope, request.params.endpointId, {
        ...rest,
        ...(appId === undefined
          ? {}
          : { applicationId: appId === null ? null : (await applications.get(scope, appId)).id }),
      });
      return reply.code(204).send();
    },
  );

  app.delete<{ Params: { endpointId: string } }>(
    '/api/endpoints/:endpointId',
    { schema: { tags, summary: 'Delete an endpoint', params: EndpointParams } },
    async (request, reply) => {
      await endpoints.remove(
        actorOf(request),
        await consoleScope(system, request),
        request.params.endpointId,
      );
      return reply.code(204).send();
    },
  );
}
