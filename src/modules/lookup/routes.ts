import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { plivoErrors } from '../../http/plivo-schemas.js';
import { lookUpNumber } from './lookup.js';
import { LookupParams, LookupQuery, NumberLookup } from './schemas.js';

const tags = ['Plivo-compatible API: Lookup'];

/** GET /v1/Number/{number}?type=carrier, with or without "+" and the trailing slash, as the SDK sends it. */
export function lookupRoutes(parent: FastifyInstance) {
  const door = parent.withTypeProvider<TypeBoxTypeProvider>();
  for (const url of ['/Number/:number', '/Number/:number/']) {
    door.get(
      url,
      {
        schema: {
          tags,
          summary: 'Look up a phone number',
          params: LookupParams,
          querystring: LookupQuery,
          response: { 200: NumberLookup, ...plivoErrors },
          hide: url.endsWith('/'),
        },
        config: { rateClass: 'lookup' },
      },
      async (request) => ({ api_id: request.apiId, ...lookUpNumber(request.params.number) }),
    );
  }
}
