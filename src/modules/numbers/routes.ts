import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { clientOf, sessionOf } from '../../http/guard.js';
import type { System } from '../../system.js';
import { consoleScope } from '../applications/routes.js';
import { availableObject, numberObject } from './plivo-routes.js';

const tags = ['Console: phone numbers'];
const NumberParams = Type.Object({ number: Type.String({ maxLength: 20 }) });

/** The Phone Numbers page: search and rent (into a subaccount in one step), move, link, release. */
export function numberRoutes(app: FastifyInstance, system: System) {
  const { numbers, applications } = system;
  const actorOf = (request: FastifyRequest) => ({ ...clientOf(request), userId: sessionOf(request).userId });
  const digits = (number: string) => number.trim().replace(/^\+/, '');

  app.get<{
    Querystring: { country_iso: string; type?: string; pattern?: string; region?: string; services?: string };
  }>(
    '/api/numbers/available',
    {
      schema: {
        tags,
        summary: 'Search numbers available to rent',
        querystring: Type.Object({
          country_iso: Type.String({ maxLength: 2 }),
          type: Type.Optional(Type.String({ maxLength: 20 })),
          pattern: Type.Optional(Type.String({ maxLength: 15 })),
          region: Type.Optional(Type.String({ maxLength: 100 })),
          services: Type.Optional(Type.String({ maxLength: 20 })),
        }),
      },
    },
    async (request) => {
      const scope = await consoleScope(system, request);
      const page = await numbers.search(request.query, 20, 0);
      return { numbers: page.rows.map((row) => availableObject(scope.mainAuthId, row)), total: page.total };
    },
  );

  app.get(
    '/api/numbers',
    { schema: { tags, summary: 'Rented numbers of the account and its subaccounts' } },
    async (request) => {
      const scope = await consoleScope(system, request);
      const page = await numbers.page(scope, {}, 500, 0);
      return { numbers: page.rows.map((row) => numberObject(scope.mainAuthId, row)), total: page.total };
    },
  );

  app.post<{ Params: { number: string }; Body: { subaccount?: string; appId?: string } }>(
    '/api/numbers/:number',
    {
      schema: {
        tags,
        summary: 'Rent a number, optionally straight into a subaccount and linked to an application',
        params: NumberParams,
        body: Type.Object({
          subaccount: Type.Optional(Type.String({ maxLength: 40 })),
          appId: Type.Optional(Type.String({ maxLength: 40 })),
        }),
      },
    },
    async (request, reply) => {
      const scope = await consoleScope(system, request);
      const account = await system.accounts.view(scope.mainAccountId);
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

  app.patch<{
    Params: { number: string };
    Body: { alias?: string; appId?: string | null; subaccount?: string };
  }>(
    '/api/numbers/:number',
    {
      schema: {
        tags,
        summary: 'Change a number: alias, application, or move it to another subaccount of this account',
        params: NumberParams,
        body: Type.Object({
          alias: Type.Optional(Type.String({ maxLength: 200 })),
          appId: Type.Optional(Type.Unsafe<string | null>({ type: ['string', 'null'], maxLength: 40 })),
          subaccount: Type.Optional(
            Type.String({ maxLength: 40, description: 'an SA Auth ID, or the main Auth ID' }),
          ),
        }),
      },
    },
    async (request, reply) => {
      const scope = await consoleScope(system, request);
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

  app.delete<{ Params: { number: string } }>(
    '/api/numbers/:number',
    { schema: { tags, summary: 'Release (unrent) a number', params: NumberParams } },
    async (request, reply) => {
      await numbers.unrent(
        actorOf(request),
        await consoleScope(system, request),
        digits(request.params.number),
      );
      return reply.code(204).send();
    },
  );
}
