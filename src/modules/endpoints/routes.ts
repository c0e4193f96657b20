import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { NoContent } from '../../http/common-schemas.js';
import { consoleErrors } from '../../http/console-schemas.js';
import { clientOf, sessionOf } from '../../http/guard.js';
import type { AccountService } from '../accounts/service.js';
import { consoleScope } from '../applications/routes.js';
import type { ApplicationService } from '../applications/service.js';
import type { SubaccountService } from '../subaccounts/service.js';
import type { Voice } from '../voice/service.js';
import {
  ConsoleEndpointChange,
  ConsoleEndpointCreate,
  ConsoleEndpointCreated,
  ConsoleEndpointParams,
  ConsoleEndpoints,
  type ConsoleRegistration,
} from './schemas.js';
import type { EndpointService } from './service.js';

/** What the Endpoints page's routes use. */
export interface EndpointRoutesDeps {
  endpoints: EndpointService;
  applications: Pick<ApplicationService, 'get'>;
  subaccounts: Pick<SubaccountService, 'resolve'>;
  accounts: Pick<AccountService, 'view'>;
  /** Where each endpoint is registered now (the SIP server reports registrations to the voice module). */
  voice: Pick<Voice, 'registrationsNow'>;
  config: { sipDomain: string };
}

const tags = ['Console: endpoints'];

/** The Endpoints page. */
export function endpointRoutes(
  parent: FastifyInstance,
  { endpoints, applications, subaccounts, accounts, voice, config }: EndpointRoutesDeps,
) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const actorOf = (request: FastifyRequest) => ({ ...clientOf(request), userId: sessionOf(request).userId });

  app.get(
    '/api/endpoints',
    {
      schema: {
        tags,
        summary: 'SIP endpoints of the account and its subaccounts, each with where it is registered now',
        response: { 200: ConsoleEndpoints, ...consoleErrors },
      },
    },
    async (request) => {
      const page = await endpoints.page(await consoleScope(accounts, request), 500, 0);
      const registered = new Map<string, ConsoleRegistration[]>();
      for (const registration of await voice.registrationsNow(page.rows.map((row) => row.id)))
        registered.set(registration.endpoint_id, [
          ...(registered.get(registration.endpoint_id) ?? []),
          {
            contact: registration.contact,
            userAgent: registration.user_agent,
            received: registration.received,
            registeredAt: registration.registered_at.toISOString(),
            expiresAt: registration.expires_at.toISOString(),
          },
        ]);
      return {
        endpoints: page.rows.map((row) => ({
          endpointId: row.endpoint_id,
          username: row.username,
          alias: row.alias,
          appId: row.app_id,
          subaccount: row.subaccount_auth_id,
          sipUri: `sip:${row.username}@${config.sipDomain}`,
          createdAt: row.created_at.toISOString(),
          registrations: registered.get(row.id) ?? [],
        })),
        total: page.total,
      };
    },
  );

  app.post(
    '/api/endpoints',
    {
      schema: {
        tags,
        summary: 'Create an endpoint',
        body: ConsoleEndpointCreate,
        response: { 201: ConsoleEndpointCreated, ...consoleErrors },
      },
    },
    async (request, reply) => {
      const scope = await consoleScope(accounts, request);
      const { subaccount, appId, username, password, alias } = request.body;
      // An endpoint created for a subaccount is created in the subaccount's own scope.
      const owner = subaccount
        ? { ...scope, subaccount: await subaccounts.resolve(scope.mainAccountId, subaccount) }
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

  app.patch(
    '/api/endpoints/:endpointId',
    {
      schema: {
        tags,
        summary: 'Change an endpoint (password, alias, application)',
        params: ConsoleEndpointParams,
        body: ConsoleEndpointChange,
        response: { 204: NoContent, ...consoleErrors },
      },
    },
    async (request, reply) => {
      const scope = await consoleScope(accounts, request);
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

  app.delete(
    '/api/endpoints/:endpointId',
    {
      schema: {
        tags,
        summary: 'Delete an endpoint',
        params: ConsoleEndpointParams,
        response: { 204: NoContent, ...consoleErrors },
      },
    },
    async (request, reply) => {
      await endpoints.remove(
        actorOf(request),
        await consoleScope(accounts, request),
        request.params.endpointId,
      );
      return reply.code(204).send();
    },
  );
}
