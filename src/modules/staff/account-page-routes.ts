import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { consoleResponses } from '../../http/console-schemas.js';
import type { StaffAccountPage } from './account-page.js';
import { StaffAccountPageView } from './account-page-schemas.js';
import { AccountParams } from './schemas.js';

/** What the account page's route uses. */
export interface StaffAccountPageRoutesDeps {
  staffAccountPage: Pick<StaffAccountPage, 'view'>;
}

/** The staff console's account page: everything staff read about one account, in one answer. */
export function staffAccountPageRoutes(
  parent: FastifyInstance,
  { staffAccountPage }: StaffAccountPageRoutesDeps,
) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/api/staff/accounts/:accountId',
    {
      schema: {
        tags: ['Staff console'],
        summary:
          "One account's page: status and lifecycle history, members, balance and ledger, usage, numbers, tickets, audit trail, engine sessions",
        params: AccountParams,
        response: consoleResponses({ 200: StaffAccountPageView }, 404),
      },
    },
    async (request) => staffAccountPage.view(request.params.accountId),
  );
}
