import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ListQuery, listEnvelope } from '../../http/plivo-list.js';
import { ValidationFailed } from '../../lib/errors.js';
import type { System } from '../../system.js';
import type { SubaccountView } from './service.js';

const tags = ['Plivo-compatible API: Subaccount'];
const MainParams = Type.Object({ authId: Type.String({ maxLength: 40 }) });
const SubParams = Type.Object({
  authId: Type.String({ maxLength: 40 }),
  subauthId: Type.String({ maxLength: 40 }),
});
const Flag = Type.Boolean({ description: 'true or false (the strings "true"/"false" are accepted)' });
const CreateBody = Type.Object({ name: Type.String({ maxLength: 100 }), enabled: Type.Optional(Flag) });
const UpdateBody = Type.Object({ name: Type.String({ maxLength: 100 }), enabled: Type.Optional(Flag) });
const DeleteBody = Type.Object({ cascade: Type.Optional(Flag) });

/** The Subaccount API is for main accounts: a subaccount's credentials cannot manage subaccounts. */
function mainAccountOf(request: FastifyRequest<{ Params: { authId: string } }>) {
  if (request.apiAccount.main) {
    throw ValidationFailed(
      'subaccount_cannot_manage_subaccounts',
      'A subaccount cannot manage subaccounts: use the main account’s Auth ID and Auth Token.',
    );
  }
  return request.apiAccount;
}

const day = (date: Date) => date.toISOString().slice(0, 10);

function subaccountObject(mainAuthId: string, sub: SubaccountView) {
  return {
    account: `/v1/Account/${mainAuthId}/`,
    auth_id: sub.authId,
    auth_token: sub.authToken,
    created: day(sub.createdAt),
    enabled: sub.enabled,
    modified: sub.modifiedAt ? day(sub.modifiedAt) : null,
    name: sub.name,
    new_auth_token: sub.authToken,
    resource_uri: `/v1/Account/${mainAuthId}/Subaccount/${sub.authId}/`,
  };
}

const actorOf = (request: FastifyRequest) => ({
  ip: request.ip,
  userAgent: request.headers['user-agent']?.slice(0, 400) ?? null,
});

/** POST/GET /v1/Account/{auth_id}/Subaccount/ and GET/POST/DELETE …/Subaccount/{sub_auth_id}/. */
export function subaccountApiRoutes(door: FastifyInstance, system: System) {
  const { subaccounts } = system;

  door.post<{ Params: Static<typeof MainParams>; Body: Static<typeof CreateBody> }>(
    '/Account/:authId/Subaccount/',
    { schema: { tags, summary: 'Create a subaccount', params: MainParams, body: CreateBody } },
    async (request) => {
      const main = mainAccountOf(request);
      const created = await subaccounts.create(actorOf(request), main.id, {
        name: request.body.name,
        enabled: request.body.enabled ?? false,
      });
      return {
        api_id: request.apiId,
        auth_id: created.authId,
        auth_token: created.authToken,
        message: 'created',
      };
    },
  );

  door.get<{ Params: Static<typeof MainParams>; Querystring: Static<typeof ListQuery> }>(
    '/Account/:authId/Subaccount/',
    { schema: { tags, summary: 'List subaccounts', params: MainParams, querystring: ListQuery } },
    async (request) => {
      const main = mainAccountOf(request);
      const { limit, offset } = request.query;
      const page = await subaccounts.page(main.id, limit, offset);
      return listEnvelope(
        request.apiId,
        `/v1/Account/${main.authId}/Subaccount/`,
        { limit, offset },
        page.total,
        page.subaccounts.map((sub) => subaccountObject(main.authId, sub)),
      );
    },
  );

  door.get<{ Params: Static<typeof SubParams> }>(
    '/Account/:authId/Subaccount/:subauthId/',
    { schema: { tags, summary: 'Get a subaccount', params: SubParams } },
    async (request) => {
      const main = mainAccountOf(request);
      return {
        api_id: request.apiId,
        ...subaccountObject(main.authId, await subaccounts.get(main.id, request.params.subauthId)),
      };
    },
  );

  door.post<{ Params: Static<typeof SubParams>; Body: Static<typeof UpdateBody> }>(
    '/Account/:authId/Subaccount/:subauthId/',
    { schema: { tags, summary: 'Update a subaccount (name, enabled)', params: SubParams, body: UpdateBody } },
    async (request) => {
      const main = mainAccountOf(request);
      await subaccounts.update(actorOf(request), main.id, request.params.subauthId, request.body);
      return { api_id: request.apiId, message: 'changed' };
    },
  );

  door.delete<{ Params: Static<typeof SubParams>; Body: Static<typeof DeleteBody> }>(
    '/Account/:authId/Subaccount/:subauthId/',
    { schema: { tags, summary: 'Delete a subaccount', params: SubParams, body: DeleteBody } },
    async (request, reply) => {
      const main = mainAccountOf(request);
      await subaccounts.remove(
        actorOf(request),
        main.id,
        request.params.subauthId,
        request.body.cascade ? 'cascade' : 'move_to_main',
      );
      return reply.code(204).send();
    },
  );
}
