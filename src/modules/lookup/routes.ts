import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { lookUpNumber } from './lookup.js';

const tags = ['Plivo-compatible API: Lookup'];
const Query = Type.Object({ type: Type.Literal('carrier', { description: 'Only "carrier" is offered' }) });
const Params = Type.Object({ number: Type.String({ maxLength: 32 }) });

/** GET /v1/Number/{number}?type=carrier, with or without "+" and the trailing slash, as the SDK sends it. */
export function lookupRoutes(door: FastifyInstance) {
  for (const url of ['/Number/:number', '/Number/:number/']) {
    door.get<{ Params: { number: string }; Querystring: { type: 'carrier' } }>(
      url,
      {
        schema: {
          tags,
          summary: 'Look up a phone number',
          params: Params,
          querystring: Query,
          hide: url.endsWith('/'),
        },
        config: { rateClass: 'lookup' },
      },
      async (request) => ({ api_id: request.apiId, ...lookUpNumber(request.params.number) }),
    );
  }
}
