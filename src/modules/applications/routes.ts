import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { NoContent } from '../../http/common-schemas.js';
import { consoleErrors } from '../../http/console-schemas.js';
import { clientOf, memberSessionOf } from '../../http/guard.js';
import type { ApiScope } from '../accounts/scope.js';
import type { AccountService } from '../accounts/service.js';
import { applicationObject } from './plivo-routes.js';
import {
  ApplicationFields,
  Applications,
  ConsoleApplicationCreated,
  ConsoleApplicationParams,
} from './schemas.js';
import type { ApplicationService } from './service.js';

/** What the Applications page's routes use. */
export interface ApplicationRoutesDeps {
  applications: ApplicationService;
  accounts: Pick<AccountService, 'view'>;
  config: { sipDomain: string };
}

const tags = ['Console: applications'];

/** The console's scope: the session's main account, with all of its subaccounts. */
export async function consoleScope(
  accounts: Pick<AccountService, 'view'>,
  request: FastifyRequest,
): Promise<ApiScope> {
  const account = await accounts.view(memberSessionOf(request).accountId);
  return { mainAccountId: account.id, mainAuthId: account.authId, subaccount: null };
}

/** The Applications page. */
export function applicationRoutes(
  parent: FastifyInstance,
  { applications, accounts, config }: ApplicationRoutesDeps,
) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const actorOf = (request: FastifyRequest) => ({
    ...clientOf(request),
    userId: memberSessionOf(request).userId,
  });

  app.get(
    '/api/applications',
    {
      schema: {
        tags,
        summary: 'Applications of the account and its subaccounts',
        response: { 200: Applications, ...consoleErrors },
      },
    },
    async (request) => {
      const scope = await consoleScope(accounts, request);
      const page = await applications.page(scope, {}, 500, 0);
      return {
        applications: page.rows.map((row) => applicationObject(scope.mainAuthId, config.sipDomain, row)),
        total: page.total,
      };
    },
  );

  app.post(
    '/api/applications',
    {
      schema: {
        tags,
        summary: 'Create an application',
        body: ApplicationFields,
        response: { 201: ConsoleApplicationCreated, ...consoleErrors },
      },
    },
    async (request, reply) => {
      const created = await applications.create(
        actorOf(request),
        await consoleScope(accounts, request),
        request.body,
      );
      return reply.code(201).send(created);
    },
  );

  app.patch(
    '/api/applications/:appId',
    {
      schema: {
        tags,
        summary: 'Change an application',
        params: ConsoleApplicationParams,
        body: ApplicationFields,
        response: { 204: NoContent, ...consoleErrors },
      },
    },
    async (request, reply) => {
      await applications.update(
        actorOf(request),
        await consoleScope(accounts, request),
        request.params.appId,
        request.body,
      );
      return reply.code(204).send();
    },
  );

  app.delete(
    '/api/applications/:appId',
    {
      schema: {
        tags,
        summary: 'Delete an application (its numbers and endpoints are unlinked)',
        params: ConsoleApplicationParams,
        response: { 204: NoContent, ...consoleErrors },
      },
    },
    async (request, reply) => {
      await applications.remove(
        actorOf(request),
        await consoleScope(accounts, request),
        request.params.appId,
        {
          cascade: false,
        },
      );
      return reply.code(204).send();
    },
  );
}
