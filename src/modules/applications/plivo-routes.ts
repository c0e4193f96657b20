import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { NoContent } from '../../http/common-schemas.js';
import { listEnvelope } from '../../http/plivo-list.js';
import { AccountParams, PlivoChanged, PlivoList, plivoErrors, WithApiId } from '../../http/plivo-schemas.js';
import { apiActorOf, scopeOf } from '../accounts/scope.js';
import {
  Application,
  ApplicationCreate,
  ApplicationCreated,
  ApplicationDelete,
  ApplicationFields,
  ApplicationFilter,
  ApplicationParams,
} from './schemas.js';
import type { ApplicationService } from './service.js';
import type { ApplicationRow } from './store.js';

/** What the /v1 application routes use. */
export interface ApplicationApiDeps {
  applications: ApplicationService;
  config: { sipDomain: string };
}

const tags = ['Plivo-compatible API: Application (HTTP only: the SDK sends these to Plivo’s own host)'];

export function applicationObject(authId: string, sipDomain: string, row: ApplicationRow): Application {
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
export function applicationApiRoutes(door: FastifyInstance, { applications, config }: ApplicationApiDeps) {
  const app = door.withTypeProvider<TypeBoxTypeProvider>();
  const sipDomain = config.sipDomain;

  app.post(
    '/Account/:authId/Application/',
    {
      schema: {
        tags,
        summary: 'Create an application',
        params: AccountParams,
        body: ApplicationCreate,
        response: { 200: ApplicationCreated, ...plivoErrors },
      },
    },
    async (request) => {
      const { appId } = await applications.create(
        apiActorOf(request),
        scopeOf(request.apiAccount),
        request.body,
      );
      return { api_id: request.apiId, app_id: appId, message: 'created' };
    },
  );

  app.get(
    '/Account/:authId/Application/',
    {
      schema: {
        tags,
        summary: 'List applications (filters: subaccount, app_name)',
        params: AccountParams,
        querystring: ApplicationFilter,
        response: { 200: PlivoList(Application), ...plivoErrors },
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

  app.get(
    '/Account/:authId/Application/:appId/',
    {
      schema: {
        tags,
        summary: 'Get an application',
        params: ApplicationParams,
        response: { 200: WithApiId(Application), ...plivoErrors },
      },
    },
    async (request) => {
      const row = await applications.get(scopeOf(request.apiAccount), request.params.appId);
      return { api_id: request.apiId, ...applicationObject(request.apiAccount.authId, sipDomain, row) };
    },
  );

  app.post(
    '/Account/:authId/Application/:appId/',
    {
      schema: {
        tags,
        summary: 'Update an application',
        params: ApplicationParams,
        body: ApplicationFields,
        response: { 200: PlivoChanged, ...plivoErrors },
      },
    },
    async (request) => {
      await applications.update(
        apiActorOf(request),
        scopeOf(request.apiAccount),
        request.params.appId,
        request.body,
      );
      return { api_id: request.apiId, message: 'changed' };
    },
  );

  app.delete(
    '/Account/:authId/Application/:appId/',
    {
      schema: {
        tags,
        summary: 'Delete an application (cascade deletes its endpoints)',
        params: ApplicationParams,
        body: ApplicationDelete,
        response: { 204: NoContent, ...plivoErrors },
      },
    },
    async (request, reply) => {
      await applications.remove(apiActorOf(request), scopeOf(request.apiAccount), request.params.appId, {
        cascade: request.body.cascade ?? false,
        newEndpointApplication: request.body.new_endpoint_application,
      });
      return reply.code(204).send();
    },
  );
}
