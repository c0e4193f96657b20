import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ListQuery, listEnvelope } from '../../http/plivo-list.js';
import type { System } from '../../system.js';
import { scopeOf } from '../accounts/scope.js';
import type { ApplicationRow } from './store.js';

const tags = ['Plivo-compatible API: Application (HTTP only: the SDK sends these to Plivo’s own host)'];
const Params = Type.Object({ authId: Type.String({ maxLength: 40 }) });
const AppParams = Type.Object({
  authId: Type.String({ maxLength: 40 }),
  appId: Type.String({ maxLength: 40 }),
});
const Url = Type.String({ maxLength: 2000 });
const Method = Type.String({ maxLength: 8, description: 'GET or POST' });
const Fields = {
  answer_url: Type.Optional(Url),
  answer_method: Type.Optional(Method),
  hangup_url: Type.Optional(Url),
  hangup_method: Type.Optional(Method),
  fallback_answer_url: Type.Optional(Url),
  fallback_method: Type.Optional(Method),
  message_url: Type.Optional(Url),
  message_method: Type.Optional(Method),
  default_number_app: Type.Optional(Type.Boolean()),
  default_endpoint_app: Type.Optional(Type.Boolean()),
  log_incoming_messages: Type.Optional(Type.Boolean()),
  public_uri: Type.Optional(Type.Boolean()),
  subaccount: Type.Optional(
    Type.String({ maxLength: 40, description: 'the SA Auth ID the application belongs to' }),
  ),
};
const CreateBody = Type.Object({ app_name: Type.String({ maxLength: 200 }), ...Fields });
const UpdateBody = Type.Object({ app_name: Type.Optional(Type.String({ maxLength: 200 })), ...Fields });
const ListFilter = Type.Composite([
  ListQuery,
  Type.Object({ subaccount: Type.Optional(Type.String()), app_name: Type.Optional(Type.String()) }),
]);
const DeleteBody = Type.Object({
  cascade: Type.Optional(Type.Boolean()),
  new_endpoint_application: Type.Optional(Type.String({ maxLength: 40 })),
});

const actorOf = (request: FastifyRequest) => ({
  ip: request.ip,
  userAgent: request.headers['user-agent']?.slice(0, 400) ?? null,
});

export function applicationObject(authId: string, sipDomain: string, row: ApplicationRow) {
  return {
    answer_method: row.answer_method,
    answer_url: row.answer_url,
    app_id: row.app_id,
    app_name: row.app_name,
    default_app: row.default_number_app,
    default_endpoint_app: row.default_endpoint_app,
    enabled: true,
    fallback_answer_url: row.fallback_answer_url,
    fallback_method: row.fallback_method,
    hangup_method: row.hangup_method,
    hangup_url: row.hangup_url,
    log_incoming_messages: row.log_incoming_messages,
    message_method: row.message_method,
    message_url: row.message_url,
    public_uri: row.public_uri,
    resource_uri: `/v1/Account/${authId}/Application/${row.app_id}/`,
    sip_uri: `sip:${row.app_id}@${sipDomain}`,
    sub_account: row.subaccount_auth_id,
  };
}

/** Application API: create, list, get, update and delete under /v1/Account/{auth_id}/Application/. */
export function applicationApiRoutes(door: FastifyInstance, system: System) {
  const { applications, config } = system;
  const sipDomain = config.sipDomain;

  door.post<{ Params: Static<typeof Params>; Body: Static<typeof CreateBody> }>(
    '/Account/:authId/Application/',
    { schema: { tags, summary: 'Create an application', params: Params, body: CreateBody } },
    async (request) => {
      const { appId } = await applications.create(
        actorOf(request),
        scopeOf(request.apiAccount),
        request.body,
      );
      return { api_id: request.apiId, app_id: appId, message: 'created' };
    },
  );

  door.get<{ Params: Static<typeof Params>; Querystring: Static<typeof ListFilter> }>(
    '/Account/:authId/Application/',
    {
      schema: {
        tags,
        summary: 'List applications (filters: subaccount, app_name)',
        params: Params,
        querystring: ListFilter,
      },
    },
    async (request) => {
      const { limit, offset, ...filter } = request.query;
      const page = await applications.page(scopeOf(request.apiAccount), filter, limit, offset);
      const authId = request.apiAccount.authId;
      return listEnvelope(
        request.apiId,
        `/v1/Account/${authId}/Application/`,
        { limit, offset },
        page.total,
        page.rows.map((row) => applicationObject(authId, sipDomain, row)),
      );
    },
  );

  door.get<{ Params: Static<typeof AppParams> }>(
    '/Account/:authId/Application/:appId/',
    { schema: { tags, summary: 'Get an application', params: AppParams } },
    async (request) => {
      const row = await applications.get(scopeOf(request.apiAccount), request.params.appId);
      return { api_id: request.apiId, ...applicationObject(request.apiAccount.authId, sipDomain, row) };
    },
  );

  door.post<{ Params: Static<typeof AppParams>; Body: Static<typeof UpdateBody> }>(
    '/Account/:authId/Application/:appId/',
    { schema: { tags, summary: 'Update an application', params: AppParams, body: UpdateBody } },
    async (request) => {
      await applications.update(
        actorOf(request),
        scopeOf(request.apiAccount),
        request.params.appId,
        request.body,
      );
      return { api_id: request.apiId, message: 'changed' };
    },
  );

  door.delete<{ Params: Static<typeof AppParams>; Body: Static<typeof DeleteBody> }>(
    '/Account/:authId/Application/:appId/',
    {
      schema: {
        tags,
        summary: 'Delete an application (cascade deletes its endpoints)',
        params: AppParams,
        body: DeleteBody,
      },
    },
    async (request, reply) => {
      await applications.remove(actorOf(request), scopeOf(request.apiAccount), request.params.appId, {
        cascade: request.body?.cascade ?? false,
        newEndpointApplication: request.body?.new_endpoint_application,
      });
      return reply.code(204).send();
    },
  );
}
