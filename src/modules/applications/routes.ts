import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { clientOf, sessionOf } from '../../http/guard.js';
import type { System } from '../../system.js';
import type { ApiScope } from '../accounts/scope.js';
import { applicationObject } from './plivo-routes.js';

const tags = ['Console: applications'];
const AppParams = Type.Object({ appId: Type.String({ maxLength: 40 }) });
const Fields = Type.Object({
  app_name: Type.Optional(Type.String({ maxLength: 200 })),
  answer_url: Type.Optional(Type.String({ maxLength: 2000 })),
  answer_method: Type.Optional(Type.String({ maxLength: 8 })),
  hangup_url: Type.Optional(Type.String({ maxLength: 2000 })),
  hangup_method: Type.Optional(Type.String({ maxLength: 8 })),
  fallback_answer_url: Type.Optional(Type.String({ maxLength: 2000 })),
  fallback_method: Type.Optional(Type.String({ maxLength: 8 })),
  message_url: Type.Optional(Type.String({ maxLength: 2000 })),
  message_method: Type.Optional(Type.String({ maxLength: 8 })),
  default_number_app: Type.Optional(Type.Boolean()),
  default_endpoint_app: Type.Optional(Type.Boolean()),
  subaccount: Type.Optional(Type.String({ maxLength: 40, description: 'SA Auth ID' })),
});

/** The console's scope: the session's main account, with all of its subaccounts. */
export async function consoleScope(system: System, request: FastifyRequest): Promise<ApiScope> {
  const account = await system.accounts.view(sessionOf(request).accountId as string);
  return { mainAccountId: account.id, mainAuthId: account.authId, subaccount: null };
}

/** The Applications page. */
export function applicationRoutes(app: FastifyInstance, system: System) {
  const { applications, config } = system;
  const actorOf = (request: FastifyRequest) => ({ ...clientOf(request), userId: sessionOf(request).userId });

  app.get(
    '/api/applications',
    { schema: { tags, summary: 'Applications of the account and its subaccounts' } },
    async (request) => {
      const scope = await consoleScope(system, request);
      const page = await applications.page(scope, {}, 500, 0);
      return {
        applications: page.rows.map((row) => applicationObject(scope.mainAuthId, config.sipDomain, row)),
        total: page.total,
      };
    },
  );

  app.post<{ Body: typeof Fields.static }>(
    '/api/applications',
    { schema: { tags, summary: 'Create an application', body: Fields } },
    async (request, reply) => {
      const created = await applications.create(
        actorOf(request),
        await consoleScope(system, request),
        request.body,
      );
      return reply.code(201).send(created);
    },
  );

  app.patch<{ Params: { appId: string }; Body: typeof Fields.static }>(
    '/api/applications/:appId',
    { schema: { tags, summary: 'Change an application', params: AppParams, body: Fields } },
    async (request, reply) => {
      await applications.update(
        actorOf(request),
        await consoleScope(system, request),
        request.params.appId,
        request.body,
      );
      return reply.code(204).send();
    },
  );

  app.delete<{ Params: { appId: string } }>(
    '/api/applications/:appId',
    {
      schema: {
        tags,
        summary: 'Delete an application (its numbers and endpoints are unlinked)',
        params: AppParams,
      },
    },
    async (request, reply) => {
      await applications.remove(actorOf(request), await consoleScope(system, request), request.params.appId, {
        cascade: false,
      });
      return reply.code(204).send();
    },
  );
}
