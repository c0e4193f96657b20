import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { consoleResponses } from '../../http/console-schemas.js';
import { memberSessionOf } from '../../http/guard.js';
import { ApiLogQuery, ApiRequestPage, FailedSignIns } from './schemas.js';
import type { ApiLogService } from './service.js';

const tags = ['Console: logs'];

/** What Logs > API needs: the request log and the failed sign-ins of the account. */
export interface ApiLogRoutesDeps {
  apiLogs: Pick<ApiLogService, 'search' | 'failedAuthentications'>;
}

/** Logs > API: the API requests of the account and its subaccounts, and failed sign-ins to the API. */
export function apiLogRoutes(parent: FastifyInstance, deps: ApiLogRoutesDeps) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { apiLogs } = deps;

  app.get(
    '/api/logs/api',
    {
      schema: {
        tags,
        summary:
          'API requests of the account and its subaccounts, newest first, filtered by date (the last 24 hours by default), status, path and subaccount',
        querystring: ApiLogQuery,
        response: consoleResponses({ 200: ApiRequestPage }),
      },
    },
    async (request) => apiLogs.search(memberSessionOf(request).accountId, request.query),
  );

  app.get(
    '/api/logs/api/failed-sign-ins',
    {
      schema: {
        tags,
        summary:
          'Failed sign-ins to the API against the Auth IDs of the account and its subaccounts (last 30 days), per address and hour',
        response: consoleResponses({ 200: FailedSignIns }),
      },
    },
    async (request) => ({
      failures: await apiLogs.failedAuthentications(memberSessionOf(request).accountId),
    }),
  );
}
