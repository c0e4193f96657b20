import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { NoContent } from '../../http/common-schemas.js';
import { listEnvelope, plivoTime } from '../../http/plivo-list.js';
import {
  AccountParams,
  ListQuery,
  PlivoChanged,
  PlivoList,
  plivoErrors,
  WithApiId,
} from '../../http/plivo-schemas.js';
import { type ApiScope, apiActorOf, scopeOf } from '../accounts/scope.js';
import type { ApplicationService } from '../applications/service.js';
import type { Voice } from '../voice/service.js';
import { Endpoint, EndpointCreate, EndpointCreated, EndpointParams, EndpointUpdate } from './schemas.js';
import type { EndpointService } from './service.js';

/** What the /v1 endpoint routes use. */
export interface EndpointApiDeps {
  endpoints: EndpointService;
  applications: Pick<ApplicationService, 'get'>;
  /** Where each endpoint is registered now (the SIP server reports registrations to the voice module). */
  voice: Pick<Voice, 'registrationsNow'>;
  config: { sipDomain: string };
}

type Registration = Awaited<ReturnType<Voice['registrationsNow']>>[number];

const tags = ['Plivo-compatible API: Endpoint (HTTP only: the SDK sends these to Plivo’s own host)'];

/** Endpoint API: SIP endpoints under /v1/Account/{auth_id}/Endpoint/. */
export function endpointApiRoutes(
  door: FastifyInstance,
  { endpoints, applications, voice, config }: EndpointApiDeps,
) {
  const app = door.withTypeProvider<TypeBoxTypeProvider>();
  const applicationIdOf = async (scope: ApiScope, appId: string | undefined) =>
    appId ? (await applications.get(scope, appId)).id : null;

  /** Each endpoint's newest registration in force. */
  const registeredNow = async (ids: readonly string[]) => {
    const newest = new Map<string, Registration>();
    for (const registration of await voice.registrationsNow(ids))
      if (!newest.has(registration.endpoint_id)) newest.set(registration.endpoint_id, registration);
    return newest;
  };

  const endpointObject = (
    authId: string,
    row: Awaited<ReturnType<typeof endpoints.get>>,
    registration: Registration | undefined,
  ): Endpoint => ({
    alias: row.alias,
    application: row.app_id ? `/v1/Account/${authId}/Application/${row.app_id}/` : null,
    endpoint_id: row.endpoint_id,
    resource_uri: `/v1/Account/${authId}/Endpoint/${row.endpoint_id}/`,
    sip_contact: registration?.contact ?? null,
    sip_expires: registration ? plivoTime(registration.expires_at) : null,
    sip_registered: registration ? 'true' : 'false',
    sip_uri: `sip:${row.username}@${config.sipDomain}`,
    sip_user_agent: registration ? registration.user_agent : null,
    sub_account: row.subaccount_auth_id,
    username: row.username,
  });

  app.post(
    '/Account/:authId/Endpoint/',
    {
      schema: {
        tags,
        summary: 'Create an endpoint (the username is made unique)',
        params: AccountParams,
        body: EndpointCreate,
        response: { 200: EndpointCreated, ...plivoErrors },
      },
    },
    async (request) => {
      const scope = scopeOf(request.apiAccount);
      const created = await endpoints.create(apiActorOf(request), scope, {
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

  app.get(
    '/Account/:authId/Endpoint/',
    {
      schema: {
        tags,
        summary: 'List endpoints',
        params: AccountParams,
        querystring: ListQuery,
        response: { 200: PlivoList(Endpoint), ...plivoErrors },
      },
    },
    async (request) => {
      const { limit, offset } = request.query;
      const page = await endpoints.page(scopeOf(request.apiAccount), limit, offset);
      const authId = request.apiAccount.authId;
      const registered = await registeredNow(page.rows.map((row) => row.id));
      return listEnvelope(
        request.apiId,
        `/v1/Account/${authId}/Endpoint/`,
        { limit, offset },
        page.total,
        page.rows.map((row) => endpointObject(authId, row, registered.get(row.id))),
      );
    },
  );

  app.get(
    '/Account/:authId/Endpoint/:endpointId/',
    {
      schema: {
        tags,
        summary: 'Get an endpoint',
        params: EndpointParams,
        response: { 200: WithApiId(Endpoint), ...plivoErrors },
      },
    },
    async (request) => {
      const row = await endpoints.get(scopeOf(request.apiAccount), request.params.endpointId);
      const registered = await registeredNow([row.id]);
      return {
        api_id: request.apiId,
        ...endpointObject(request.apiAccount.authId, row, registered.get(row.id)),
      };
    },
  );

  app.post(
    '/Account/:authId/Endpoint/:endpointId/',
    {
      schema: {
        tags,
        summary: 'Update an endpoint (password, alias, app_id)',
        params: EndpointParams,
        body: EndpointUpdate,
        response: { 200: PlivoChanged, ...plivoErrors },
      },
    },
    async (request) => {
      const scope = scopeOf(request.apiAccount);
      await endpoints.update(apiActorOf(request), scope, request.params.endpointId, {
        password: request.body.password,
        alias: request.body.alias,
        ...(request.body.app_id === undefined
          ? {}
          : { applicationId: await applicationIdOf(scope, request.body.app_id) }),
      });
      return { api_id: request.apiId, message: 'changed' };
    },
  );

  app.delete(
    '/Account/:authId/Endpoint/:endpointId/',
    {
      schema: {
        tags,
        summary: 'Delete an endpoint',
        params: EndpointParams,
        response: { 204: NoContent, ...plivoErrors },
      },
    },
    async (request, reply) => {
      await endpoints.remove(apiActorOf(request), scopeOf(request.apiAccount), request.params.endpointId);
      return reply.code(204).send();
    },
  );
}
