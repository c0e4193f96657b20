import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { sessionOf } from '../../http/guard.js';
import type { System } from '../../system.js';

const Query = Type.Object({
  from: Type.Optional(
    Type.String({ description: 'earliest time, e.g. 2026-11-25; by default 24 hours before to (or now)' }),
  ),
  to: Type.Optional(Type.String({ description: 'latest time' })),
  status: Type.Optional(Type.String({ description: 'an HTTP status (429) or class (4xx)' })),
  path: Type.Optional(Type.String({ maxLength: 200, description: 'part of the request path' })),
  subaccount: Type.Optional(
    Type.String({
      maxLength: 40,
      description: "a subaccount's Auth ID: its requests only; the main Auth ID: the main account's only",
    }),
  ),
  limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
  offset: Type.Integer({ minimum: 0, default: 0 }),
});

const FailedAuthentication = Type.Object({
  authId: Type.String(),
  subaccount: Type.Boolean({ description: 'whether the Auth ID is a subaccount’s' }),
  ip: Type.String(),
  count: Type.Integer(),
  firstAt: Type.String({ format: 'date-time' }),
  lastAt: Type.String({ format: 'date-time' }),
});

/** Logs > API: the API requests of the account and its subaccounts, and failed sign-ins to the API. */
export function apiLogRoutes(app: FastifyInstance, system: System) {
  app.get<{ Querystring: Static<typeof Query> }>(
    '/api/logs/api',
    {
      schema: {
        tags: ['Console: logs'],
        summary:
          'API requests of the account and its subaccounts, newest first, filtered by date (the last 24 hours by default), status, path and subaccount',
        querystring: Query,
      },
    },
    async (request) => system.apiLogs.search(sessionOf(request).accountId as string, request.query),
  );

  app.get(
    '/api/logs/api/failed-sign-ins',
    {
      schema: {
        tags: ['Console: logs'],
        summary:
          'Failed sign-ins to the API against the Auth IDs of the account and its subaccounts (last 30 days), per address and hour',
        response: { 200: Type.Object({ failures: Type.Array(FailedAuthentication) }) },
      },
    },
    async (request) => ({
      failures: await system.apiLogs.failedAuthentications(sessionOf(request).accountId as string),
    }),
  );
}
