import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { AccountParams, PlivoChanged, plivoErrors, WithApiId } from '../../http/plivo-schemas.js';
import type { Ledger } from '../billing/ledger.js';
import { Account, AccountUpdate } from './schemas.js';
import { apiActorOf } from './scope.js';
import type { AccountService } from './service.js';

/** What the /v1 account routes use. */
export interface AccountApiDeps {
  accounts: Pick<AccountService, 'apiView' | 'updateDetails'>;
  ledger: Pick<Ledger, 'balance'>;
}

const tags = ['Plivo-compatible API: Account'];

/** GET and POST /v1/Account/{auth_id}/: the account, in Plivo's fields and formats. */
export function accountApiRoutes(door: FastifyInstance, { accounts, ledger }: AccountApiDeps) {
  const app = door.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/Account/:authId/',
    {
      schema: {
        tags,
        summary: 'Get account details',
        params: AccountParams,
        response: { 200: WithApiId(Account), ...plivoErrors },
      },
    },
    async (request) => {
      const account = request.apiAccount;
      // Subaccounts have no balance of their own: they draw on their main account's.
      const balance = await ledger.balance(account.main?.id ?? account.id);
      return { api_id: request.apiId, ...accounts.apiView(account, balance.micros) };
    },
  );

  app.post(
    '/Account/:authId/',
    {
      schema: {
        tags,
        summary: 'Update account details (name, city, address, state, timezone)',
        params: AccountParams,
        body: AccountUpdate,
        response: { 200: PlivoChanged, ...plivoErrors },
      },
    },
    async (request) => {
      await accounts.updateDetails(apiActorOf(request), request.apiAccount.id, request.body);
      return { api_id: request.apiId, message: 'changed' };
    },
  );
}
