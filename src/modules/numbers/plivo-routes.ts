import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ListQuery, listEnvelope } from '../../http/plivo-list.js';
import { formatMoney } from '../../lib/money.js';
import type { System } from '../../system.js';
import { type ApiScope, scopeOf } from '../accounts/scope.js';
import type { AvailableNumberRow, RentedNumberRow } from './store.js';

const tags = ['Plivo-compatible API: Number and PhoneNumber'];
const Params = Type.Object({ authId: Type.String({ maxLength: 40 }) });
const NumberParams = Type.Object({
  authId: Type.String({ maxLength: 40 }),
  number: Type.String({ maxLength: 20, description: 'E.164 digits, with or without +' }),
});
const SearchQuery = Type.Composite([
  ListQuery,
  Type.Object({
    country_iso: Type.Optional(
      Type.String({ maxLength: 2, description: 'required: two-letter country code' }),
    ),
    type: Type.Optional(
      Type.String({ maxLength: 20, description: 'local, tollfree, mobile, national, fixed or any' }),
    ),
    pattern: Type.Optional(
      Type.String({
        maxLength: 15,
        description: 'digits after the country code; * or ? match any one digit',
      }),
    ),
    region: Type.Optional(Type.String({ maxLength: 200 })),
    city: Type.Optional(Type.String({ maxLength: 200 })),
    rate_center: Type.Optional(Type.String({ maxLength: 200 })),
    services: Type.Optional(Type.String({ maxLength: 20, description: 'voice, sms, mms, comma separated' })),
  }),
]);
const ListFilter = Type.Composite([
  ListQuery,
  Type.Object({
    type: Type.Optional(Type.String({ maxLength: 20 })),
    number_startswith: Type.Optional(Type.String({ maxLength: 15 })),
    subaccount: Type.Optional(Type.String({ maxLength: 40 })),
    alias: Type.Optional(Type.String({ maxLength: 200 })),
    services: Type.Optional(Type.String({ maxLength: 20 })),
    renewal_date: Type.Optional(Type.String({ maxLength: 10, description: 'YYYY-MM-DD' })),
    renewal_date__lt: Type.Optional(Type.String({ maxLength: 10 })),
    renewal_date__lte: Type.Optional(Type.String({ maxLength: 10 })),
    renewal_date__gt: Type.Optional(Type.String({ maxLength: 10 })),
    renewal_date__gte: Type.Optional(Type.String({ maxLength: 10 })),
  }),
]);
const RentBody = Type.Object({
  app_id: Type.Optional(Type.String({ maxLength: 40, description: 'an application to link the number to' })),
});
const UpdateBody = Type.Object({
  alias: Type.Optional(Type.String({ maxLength: 200 })),
  app_id: Type.Optional(
    Type.String({ maxLength: 40, description: 'an application in your scope; "" unlinks' }),
  ),
  subaccount: Type.Optional(
    Type.String({
      maxLength: 40,
      description: 'an SA Auth ID of this account to move the number to; the main Auth ID moves it back',
    }),
  ),
});

const actorOf = (request: FastifyRequest) => ({
  ip: request.ip,
  userAgent: request.headers['user-agent']?.slice(0, 400) ?? null,
});
const digitsOf = (number: string) => number.trim().replace(/^\+/, '');
const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });
const countryName = (iso: string) => regionNames.of(iso) ?? iso;

export function availableObject(authId: string, row: AvailableNumberRow) {
  return {
    city: row.city,
    country: countryName(row.country_iso).toUpperCase(),
    country_iso: row.country_iso,
    mms_enabled: row.mms_enabled,
    mms_rate: formatMoney(row.mms_rate_micros),
    monthly_rental_rate: formatMoney(row.monthly_rental_micros),
    number: row.number,
    rate_center: row.rate_center,
    region: row.region,
    resource_uri: `/v1/Account/${authId}/PhoneNumber/${row.number}/`,
    restriction: null,
    restriction_text: null,
    setup_rate: formatMoney(0n),
    sms_enabled: row.sms_enabled,
    sms_rate: formatMoney(row.sms_rate_micros),
    type: row.number_type,
    voice_enabled: row.voice_enabled,
    voice_rate: formatMoney(row.voice_rate_micros),
  };
}

export function numberObject(authId: string, row: RentedNumberRow) {
  return {
    active: true,
    added_on: row.added_on,
    alias: row.alias,
    application: row.app_id ? `/v1/Account/${authId}/Application/${row.app_id}/` : null,
    city: row.city,
    country: countryName(row.country_iso),
    mms_enabled: row.mms_enabled,
    mms_rate: formatMoney(row.mms_rate_micros),
    monthly_rental_rate: formatMoney(row.monthly_rental_micros),
    number: row.number,
    number_type: row.number_type,
    region: row.region,
    renewal_date: row.renewal_date,
    resource_uri: `/v1/Account/${authId}/Number/${row.number}/`,
    sms_enabled: row.sms_enabled,
    sms_rate: formatMoney(row.sms_rate_micros),
    sub_account: row.subaccount_auth_id,
    voice_enabled: row.voice_enabled,
    voice_rate: formatMoney(row.voice_rate_micros),
  };
}

/**
 * Search and rent under /v1/Account/{auth_id}/PhoneNumber/, and the rented numbers under
 * …/Number/: list, get, update (alias, application, subaccount) and unrent.
 */
export function numberApiRoutes(door: FastifyInstance, system: System) {
  const { numbers, applications } = system;
  const applicationIdOf = async (scope: ApiScope, appId: string | undefined) =>
    appId ? (await applications.get(scope, appId)).id : null;

  door.get<{ Params: Static<typeof Params>; Querystring: Static<typeof SearchQuery> }>(
    '/Account/:authId/PhoneNumber/',
    {
      schema: {
        tags,
        summary:
          'Search available numbers (country_iso required; type, pattern, region, city, rate_center, services)',
        params: Params,
        querystring: SearchQuery,
      },
    },
    async (request) => {
      const { limit, offset, ...filter } = request.query;
      const page = await numbers.search(filter, limit, offset);
      const authId = request.apiAccount.authId;
      return listEnvelope(
        request.apiId,
        `/v1/Account/${authId}/PhoneNumber/`,
        { limit, offset },
        page.total,
        page.rows.map((row) => availableObject(authId, row)),
      );
    },
  );

  door.post<{ Params: Static<typeof NumberParams>; Body: Static<typeof RentBody> }>(
    '/Account/:authId/PhoneNumber/:number/',
    {
      schema: {
        tags,
        summary: 'Rent (buy) an available number; it belongs to the account whose credentials rent it',
        params: NumberParams,
        body: RentBody,
      },
    },
    async (request) => {
      const scope = scopeOf(request.apiAccount);
      const number = digitsOf(request.params.number);
      await numbers.rent(
        actorOf(request),
        { scope, status: request.apiAccount.status },
        number,
        await applicationIdOf(scope, request.body.app_id),
      );
      return {
        api_id: request.apiId,
        message: 'created',
        numbers: [{ number, status: 'Success' }],
        status: 'fulfilled',
      };
    },
  );

  door.get<{ Params: Static<typeof Params>; Querystring: Static<typeof ListFilter> }>(
    '/Account/:authId/Number/',
    {
      schema: {
        tags,
        summary:
          'List rented numbers (filters: type, number_startswith, subaccount, alias, services, renewal_date[__lt|__lte|__gt|__gte])',
        params: Params,
        querystring: ListFilter,
      },
    },
    async (request) => {
      const { limit, offset, ...filter } = request.query;
      const page = await numbers.page(scopeOf(request.apiAccount), filter, limit, offset);
      const authId = request.apiAccount.authId;
      return listEnvelope(
        request.apiId,
        `/v1/Account/${authId}/Number/`,
        { limit, offset },
        page.total,
        page.rows.map((row) => numberObject(authId, row)),
      );
    },
  );

  door.get<{ Params: Static<typeof NumberParams> }>(
    '/Account/:authId/Number/:number/',
    { schema: { tags, summary: 'Get a rented number', params: NumberParams } },
    async (request) => {
      const row = await numbers.get(scopeOf(request.apiAccount), digitsOf(request.params.number));
      return { api_id: request.apiId, ...numberObject(request.apiAccount.authId, row) };
    },
  );

  door.post<{ Params: Static<typeof NumberParams>; Body: Static<typeof UpdateBody> }>(
    '/Account/:authId/Number/:number/',
    {
      schema: {
        tags,
        summary: 'Update a rented number: alias, app_id, subaccount (only one of this account’s own)',
        params: NumberParams,
        body: UpdateBody,
      },
    },
    async (request) => {
      const scope = scopeOf(request.apiAccount);
      const { alias, app_id, subaccount } = request.body;
      await numbers.update(actorOf(request), scope, digitsOf(request.params.number), {
        ...(alias === undefined ? {} : { alias }),
        ...(subaccount === undefined ? {} : { subaccount }),
        ...(app_id === undefined ? {} : { applicationId: await applicationIdOf(scope, app_id) }),
      });
      return { api_id: request.apiId, message: 'changed' };
    },
  );

  door.delete<{ Params: Static<typeof NumberParams> }>(
    '/Account/:authId/Number/:number/',
    { schema: { tags, summary: 'Unrent a number: it goes back to the inventory', params: NumberParams } },
    async (request, reply) => {
      await numbers.unrent(actorOf(request), scopeOf(request.apiAccount), digitsOf(request.params.number));
      return reply.code(204).send();
    },
  );
}
