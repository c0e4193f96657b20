import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { NoContent } from '../../http/common-schemas.js';
import { listEnvelope } from '../../http/plivo-list.js';
import {
  AccountParams,
  ListQuery,
  PlivoChanged,
  PlivoList,
  plivoErrors,
  WithApiId,
} from '../../http/plivo-schemas.js';
import { ValidationFailed } from '../../lib/errors.js';
import { apiActorOf } from '../accounts/scope.js';
import { SubaccountErrors } from './errors.js';
import {
  Subaccount,
  SubaccountCreate,
  SubaccountCreated,
  SubaccountDelete,
  SubaccountParams,
  SubaccountUpdate,
} from './schemas.js';
import type { SubaccountService, SubaccountView } from './service.js';

/** What the /v1 subaccount routes use. */
export interface SubaccountApiDeps {
  subaccounts: SubaccountService;
}

const tags = ['Plivo-compatible API: Subaccount'];

/** The Subaccount API is for main accounts: a subaccount's credentials cannot manage subaccounts. */
function mainAccountOf(request: FastifyRequest) {
  if (request.apiAccount.main) {
    throw ValidationFailed(
      SubaccountErrors.subaccountCannotManageSubaccounts,
      'A subaccount cannot manage subaccounts: use the main account’s Auth ID and Auth Token.',
    );
  }
  return request.apiAccount;
}

const day = (date: Date) => date.toISOString().slice(0, 10);

function subaccountObject(mainAuthId: string, sub: SubaccountView): Subaccount {
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

/** POST/GET /v1/Account/{auth_id}/Subaccount/ and GET/POST/DELETE …/Subaccount/{sub_auth_id}/. */
export function subaccountApiRoutes(door: FastifyInstance, { subaccounts }: SubaccountApiDeps) {
  const app = door.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    '/Account/:authId/Subaccount/',
    {
      schema: {
        tags,
        summary: 'Create a subaccount',
        params: AccountParams,
        body: SubaccountCreate,
        response: { 200: SubaccountCreated, ...plivoErrors },
      },
    },
    async (request) => {
      const main = mainAccountOf(request);
      const created = await subaccounts.create(apiActorOf(request), main.id, {
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

  app.get(
    '/Account/:authId/Subaccount/',
    {
      schema: {
        tags,
        summary: 'List subaccounts',
        params: AccountParams,
        querystring: ListQuery,
        response: { 200: PlivoList(Subaccount), ...plivoErrors },
      },
    },
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

  app.get(
    '/Account/:authId/Subaccount/:subauthId/',
    {
      schema: {
        tags,
        summary: 'Get a subaccount',
        params: SubaccountParams,
        response: { 200: WithApiId(Subaccount), ...plivoErrors },
      },
    },
    async (request) => {
      const main = mainAccountOf(request);
      return {
        api_id: request.apiId,
        ...subaccountObject(main.authId, await subaccounts.get(main.id, request.params.subauthId)),
      };
    },
  );

  app.post(
    '/Account/:authId/Subaccount/:subauthId/',
    {
      schema: {
        tags,
        summary: 'Update a subaccount (name, enabled)',
        params: SubaccountParams,
        body: SubaccountUpdate,
        response: { 200: PlivoChanged, ...plivoErrors },
      },
    },
    async (request) => {
      const main = mainAccountOf(request);
      await subaccounts.update(apiActorOf(request), main.id, request.params.subauthId, request.body);
      return { api_id: request.apiId, message: 'changed' };
    },
  );

  app.delete(
    '/Account/:authId/Subaccount/:subauthId/',
    {
      schema: {
        tags,
        summary: 'Delete a subaccount',
        params: SubaccountParams,
        body: SubaccountDelete,
        response: { 204: NoContent, ...plivoErrors },
      },
    },
    async (request, reply) => {
      const main = mainAccountOf(request);
      await subaccounts.remove(
        apiActorOf(request),
        main.id,
        request.params.subauthId,
        request.body.cascade ? 'cascade' : 'move_to_main',
      );
      return reply.code(204).send();
    },
  );
}
