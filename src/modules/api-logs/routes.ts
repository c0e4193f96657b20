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
  limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
  offset: Type.Integer({ minimum: 0, default: 0 }),
});

/** Logs > API: the account's API requests. */
export function apiLogRoutes(app: FastifyInstance, system: System) {
  app.get<{ Querystring: Static<typeof Query> }>(
    '/api/logs/api',
    {
      schema: {
        tags: ['Console: logs'],
        summary:
          'API requests, newest first, filtered by date (the last 24 hours by default), status and path',
        querystring: Query,
      },
    },
    async (request) => system.apiLogs.search(sessionOf(request).accountId as string, request.query),
  );
}
