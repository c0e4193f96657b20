import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { System } from '../../system.js';

const AuthIdParams = Type.Object({ authId: Type.String({ maxLength: 40 }) });
const AccountUpdate = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  city: Type.Optional(Type.String({ maxLength: 100 })),
  address: Type.Optional(Type.String({ maxLength: 300 })),
  state: Type.Optional(Type.String({ maxLength: 100 })),
  timezone: Type.Optional(Type.String({ maxLength: 64 })),
});

const tags = ['Plivo-compatible API: Account'];

const AccountObject = Type.Object({
  api_id: Type.String(),
  account_type: Type.String(),
  address: Type.String(),
  auth_id: Type.String(),
  auto_recharge: Type.Boolean(),
  billing_mode: Type.String(),
  cash_credits: Type.String({ description: 'Balance, 5 decimals' }),
  city: Type.String(),
  name: Type.String(),
  resource_uri: Type.String(),
  state: Type.String(),
  timezone: Type.String(),
});
const Changed = Type.Object({ api_id: Type.String(), message: Type.String() });

/** GET and POST /v1/Account/{auth_id}/: the account, in Plivo's fields and formats. */
export function accountApiRoutes(door: FastifyInstance, system: System) {
  door.get<{ Params: Static<typeof AuthIdParams> }>(
    '/Account/:authId/',
    {
      schema: {
        tags,
        summary: 'Get account details',
        params: AuthIdParams,
        response: { 200: AccountObject },
      },
    },
    async (request) => {
      return { api_id: request.apiId, ...system.accounts.apiView(request.apiAccount) };
    },
  );

  door.post<{ Params: Static<typeof AuthIdParams>; Body: Static<typeof AccountUpdate> }>(
    '/Account/:authId/',
    {
      schema: {
        tags,
        summary: 'Update account details (name, city, address, state, timezone)',
        params: AuthIdParams,
        body: AccountUpdate,
        response: { 200: Changed },
      },
    },
    async (request) => {
      await system.accounts.updateDetails(
        { ip: request.ip, userAgent: request.headers['user-agent']?.slice(0, 400) ?? null },
        request.apiAccount.id,
        request.body,
      );
      return { api_id: request.apiId, message: 'changed' };
    },
  );
}
