import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ListQuery, listEnvelope } from '../../http/plivo-list.js';
import type { System } from '../../system.js';
import { type ApiScope, scopeOf } from '../accounts/scope.js';

const tags = ['Plivo-compatible API: Endpoint (HTTP only: the SDK sends these to Plivo’s own host)'];
const Params = Type.Object({ authId: Type.String({ maxLength: 40 }) });
const EndpointParams = Type.Object({
  authId: Type.String({ maxLength: 40 }),
  endpointId: Type.String({ maxLength: 40 }),
});
const CreateBody = Type.Object({
  username: Type.String({ maxLength: 40 }),
  password: Type.String({ maxLength: 256 }),
  alias: Type.String({ maxLength: 200 }),
  app_id: Type.Optional(Type.String({ maxLength: 40 })),
});
const UpdateBody = Type.Object({
  password: Type.Optional(Type.String({ maxLength: 256 })),
  alias: Type.Optional(Type.String({ maxLength: 200 })),
  app_id: Type.Optional(Type.String({ maxLength: 40 })),
});

const actorOf = (request: FastifyRequest) => ({
  ip: request.ip,
  userAgent: request.headers['user-agent']?.slice(0, 400) ?? null,
});

/** Endpoint API: SIP endpoints under /v1/Account/{auth_id}/Endpoint/. */
export function endpointApiRoutes(door: FastifyInstance, system: System) {
  const { endpoints, applications, config } = system;
  const applicationIdOf = async (scope: ApiScope, appId: string | undefined) =>
    appId ? (await applications.get(scope, appId)).id : null;

  const endpointObject = (authId: string, row: Awaited<ReturnType<typeof endpoints.get>>) => ({
    alias: row.alias,
    application: row.app_id ? `/v1/Account/${authId}/Application/${row.app_id}/` : null,
    endpoint_id: row.endpoint_id,
    resource_uri: `/v1/Account/${authId}/Endpoint/${row.endpoint_id}/`,
    sip_contact: null,
    sip_expires: null,
    sip_registered: 'false',
    sip_uri: `sip:${row.username}@${config.sipDomain}`,
    sip_user_agent: null,
    sub_account: row.subaccount_auth_id,
    username: row.username,
  });

  door.post<{ Params: Static<typeof Params>; Body: Static<typeof CreateBody> }>(
    '/Account/:authId/Endpoint/',
    {
      schema: {
        tags,
        summary: 'Create an endpoint (the username is made unique)',
        params: Params,
        body: CreateBody,
      },
    },
    async (request) => {
      const scope = scopeOf(request.apiAccount);
      const created = await endpoints.create(actorOf(request), scope, {
        username: request.body.username,
        password: request.body.password,
        alias: request.body.alias,
        applicationId: await applicationIdOf(scope, request.body.app_id),
      });
      return {
        api_id: request.apiId,
        alias: created.alias,
        endpoint_id: created.endpointId,
        message: 'created',
        username: created.username,
      };
    },
  );

  door.get<{ Params: Static<typeof Params>; Querystring: Static<typeof ListQuery> }>(
    '/Account/:authId/Endpoint/',
    { schema: { tags, summary: 'List endpoints', params: Params, querystring: ListQuery } },
    async (request) => {
      const { limit, offset } = request.query;
      const page = await endpoints.page(scopeOf(request.apiAccount), limit, offset);
      const authId = request.apiAccount.authId;
      return listEnvelope(
        request.apiId,
        `/v1/Account/${authId}/Endpoint/`,
        { limit, offset },
        page.total,
        page.rows.map((row) => endpointObject(authId, row)),
      );
    },
  );

  door.get<{ Params: Static<typeof EndpointParams> }>(
    '/Account/:authId/Endpoint/:endpointId/',
    { schema: { tags, summary: 'Get an endpoint', params: EndpointParams } },
    async (request) => {
      const row = await endpoints.get(scopeOf(request.apiAccount), request.params.endpointId);
      return { api_id: request.apiId, ...endpointObject(request.apiAccount.authId, row) };
    },
  );

  door.post<{ Params: Static<typeof EndpointParams>; Body: Static<typeof UpdateBody> }>(
    '/Account/:authId/Endpoint/:endpointId/',
    {
      schema: {
        tags,
        summary: 'Update an endpoint (password, alias, app_id)',
        params: EndpointParams,
        body: UpdateBody,
      },
    },
    async (request) => {
      const scope = scopeOf(request.apiAccount);
      await endpoints.update(actorOf(request), scope, request.params.endpointId, {
        password: request.body.password,
        alias: request.body.alias,
        ...(request.body.app_id === undefined
          ? {}
          : { applicationId: await applicationIdOf(scope, request.body.app_id) }),
      });
      return { api_id: request.apiId, message: 'changed' };
    },
  );

  door.delete<{ Params: Static<typeof EndpointParams> }>(
    '/Account/:authId/Endpoint/:endpointId/',
    { schema: { tags, summary: 'Delete an endpoint', params: EndpointParams } },
    async (request, reply) => {
      await endpoints.remove(actorOf(request), scopeOf(request.apiAccount), request.params.endpointId);
      return reply.code(204).send();
    },
  );
}
