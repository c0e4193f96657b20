import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { NoContent } from '../../http/common-schemas.js';
import { consoleErrors, consoleResponses } from '../../http/console-schemas.js';
import { clientOf, sessionOf } from '../../http/guard.js';
import type { AccountService } from '../accounts/service.js';
import { consoleScope } from '../applications/routes.js';
import type { ApplicationService } from '../applications/service.js';
import { availableObject, numberObject } from './plivo-routes.js';
import {
  AvailableNumbers,
  ConsoleNumberChange,
  ConsoleNumberParams,
  ConsoleRent,
  ConsoleRented,
  ConsoleSearchQuery,
  RentedNumbers,
} from './schemas.js';
import type { NumberService } from './service.js';

/** What the Phone Numbers page's routes use. */
export interface NumberRoutesDeps {
  numbers: NumberService;
  applications: Pick<ApplicationService, 'get'>;
  accounts: Pick<AccountService, 'view'>;
}

const tags = ['Console: phone numbers'];

/** The Phone Numbers page: search and rent (into a subaccount in one step), move, link, release. */
export function numberRoutes(parent: FastifyInstance, { numbers, applications, accounts }: NumberRoutesDeps) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const actorOf = (request: FastifyRequest) => ({ ...clientOf(request), userId: sessionOf(request).userId });
  const digits = (number: string) => number.trim().replace(/^\+/, '');

  app.get(
    '/api/numbers/available',
    {
      schema: {
        tags,
        summary: 'Search numbers available to rent',
        querystring: ConsoleSearchQuery,
        response: { 200: AvailableNumbers, ...consoleErrors },
      },
    },
    async (request) => {
      const scope = await consoleScope(accounts, request);
      const page = await numbers.search(request.query, 20, 0);
      return { numbers: page.rows.map((row) => availableObject(scope.mainAuthId, row)), total: page.total };
    },
  );

  app.get(
    '/api/numbers',
    {
      schema: {
        tags,
        summary: 'Rented numbers of the account and its subaccounts',
        response: { 200: RentedNumbers, ...consoleErrors },
      },
    },
    async (request) => {
      const scope = await consoleScope(accounts, request);
      const page = await numbers.page(scope, {}, 500, 0);
      return { numbers: page.rows.map((row) => numberObject(scope.mainAuthId, row)), total: page.total };
    },
  );

  app.post(
    '/api/numbers/:number',
    {
      schema: {
        tags,
        summary: 'Rent a number, optionally straight into a subaccount and linked to an application',
        params: ConsoleNumberParams,
        body: ConsoleRent,
        response: consoleResponses({ 201: ConsoleRented }, 402, 404),
      },
    },
    async (request, reply) => {
      const scope = await consoleScope(accounts, request);
      const account = await accounts.view(scope.mainAccountId);
      const number = digits(request.params.number);
      const applicationId = request.body.appId
        ? (await applications.get(scope, request.body.appId)).id
        : null;
      await numbers.rent(
        actorOf(request),
        { scope, status: account.status },
        number,
        applicationId,
        request.body.subaccount,
      );
      return reply.code(201).send({ number });
    },
  );

  app.patch(
    '/api/numbers/:number',
    {
      schema: {
        tags,
        summary: 'Change a number: alias, application, or move it to another subaccount of this account',
        params: ConsoleNumberParams,
        body: ConsoleNumberChange,
        response: { 204: NoContent, ...consoleErrors },
      },
    },
    async (request, reply) => {
      const scope = await consoleScope(accounts, request);
      const { appId, ...rest } = request.body;
      await numbers.update(actorOf(request), scope, digits(request.params.number), {
        ...rest,
        ...(appId === undefined
          ? {}
          : { applicationId: appId === null ? null : (await applications.get(scope, appId)).id }),
      });
      return reply.code(204).send();
    },
  );

  app.delete(
    '/api/numbers/:number',
    {
      schema: {
        tags,
        summary: 'Release (unrent) a number',
        params: ConsoleNumberParams,
        response: { 204: NoContent, ...consoleErrors },
      },
    },
    async (request, reply) => {
      await numbers.unrent(
        actorOf(request),
        await consoleScope(accounts, request),
        digits(request.params.number),
      );
      return reply.code(204).send();
    },
  );
}
