import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { NoContent } from '../../http/common-schemas.js';
import { listEnvelope } from '../../http/plivo-list.js';
import {
  AccountParams,
  PlivoChanged,
  PlivoList,
  plivoBillableErrors,
  plivoErrors,
  WithApiId,
} from '../../http/plivo-schemas.js';
import { formatMoney } from '../../lib/money.js';
import { type ApiScope, apiActorOf, scopeOf } from '../accounts/scope.js';
import type { ApplicationService } from '../applications/service.js';
import {
  AvailableNumber,
  NumberFilter,
  NumberParams,
  NumberUpdate,
  RentBody,
  Rented,
  RentedNumber,
  SearchQuery,
} from './schemas.js';
import type { NumberService } from './service.js';
import type { AvailableNumberRow, RentedNumberRow } from './store.js';

/** What the /v1 number routes use. */
export interface NumberApiDeps {
  numbers: NumberService;
  applications: Pick<ApplicationService, 'get'>;
}

const tags = ['Plivo-compatible API: Number and PhoneNumber'];

const digitsOf = (number: string) => number.trim().replace(/^\+/, '');
const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });
const countryName = (iso: string) => regionNames.of(iso) ?? iso;

export function availableObject(authId: string, row: AvailableNumberRow): AvailableNumber {
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

export function numberObject(authId: string, row: RentedNumberRow): RentedNumber {
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
export function numberApiRoutes(door: FastifyInstance, { numbers, applications }: NumberApiDeps) {
  const app = door.withTypeProvider<TypeBoxTypeProvider>();
  const applicationIdOf = async (scope: ApiScope, appId: string | undefined) =>
    appId ? (await applications.get(scope, appId)).id : null;

  app.get(
    '/Account/:authId/PhoneNumber/',
    {
      schema: {
        tags,
        summary:
          'Search available numbers (country_iso required; type, pattern, region, city, rate_center, services)',
        params: AccountParams,
        querystring: SearchQuery,
        response: { 200: PlivoList(AvailableNumber), ...plivoErrors },
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

  app.post(
    '/Account/:authId/PhoneNumber/:number/',
    {
      schema: {
        tags,
        summary: 'Rent (buy) an available number; it belongs to the account whose credentials rent it',
        params: NumberParams,
        body: RentBody,
        response: { 200: Rented, ...plivoBillableErrors },
      },
    },
    async (request) => {
      const scope = scopeOf(request.apiAccount);
      const number = digitsOf(request.params.number);
      await numbers.rent(
        apiActorOf(request),
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

  app.get(
    '/Account/:authId/Number/',
    {
      schema: {
        tags,
        summary:
          'List rented numbers (filters: type, number_startswith, subaccount, alias, services, renewal_date[__lt|__lte|__gt|__gte])',
        params: AccountParams,
        querystring: NumberFilter,
        response: { 200: PlivoList(RentedNumber), ...plivoErrors },
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

  app.get(
    '/Account/:authId/Number/:number/',
    {
      schema: {
        tags,
        summary: 'Get a rented number',
        params: NumberParams,
        response: { 200: WithApiId(RentedNumber), ...plivoErrors },
      },
    },
    async (request) => {
      const row = await numbers.get(scopeOf(request.apiAccount), digitsOf(request.params.number));
      return { api_id: request.apiId, ...numberObject(request.apiAccount.authId, row) };
    },
  );

  app.post(
    '/Account/:authId/Number/:number/',
    {
      schema: {
        tags,
        summary: 'Update a rented number: alias, app_id, subaccount (only one of this account’s own)',
        params: NumberParams,
        body: NumberUpdate,
        response: { 200: PlivoChanged, ...plivoErrors },
      },
    },
    async (request) => {
      const scope = scopeOf(request.apiAccount);
      const { alias, app_id, subaccount } = request.body;
      await numbers.update(apiActorOf(request), scope, digitsOf(request.params.number), {
        ...(alias === undefined ? {} : { alias }),
        ...(subaccount === undefined ? {} : { subaccount }),
        ...(app_id === undefined ? {} : { applicationId: await applicationIdOf(scope, app_id) }),
      });
      return { api_id: request.apiId, message: 'changed' };
    },
  );

  app.delete(
    '/Account/:authId/Number/:number/',
    {
      schema: {
        tags,
        summary: 'Unrent a number: it goes back to the inventory',
        params: NumberParams,
        response: { 204: NoContent, ...plivoErrors },
      },
    },
    async (request, reply) => {
      await numbers.unrent(apiActorOf(request), scopeOf(request.apiAccount), digitsOf(request.params.number));
      return reply.code(204).send();
    },
  );
}
