import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { plivoErrors } from '../../http/plivo-schemas.js';
import type { PriceDeckService } from './price-decks.js';
import { PricingAnswer, PricingParams, PricingQuery } from './price-schemas.js';

/** What the Pricing API uses. */
export interface PricingApiDeps {
  priceDecks: Pick<PriceDeckService, 'pricing'>;
}

/** Plivo's Pricing API: GET /v1/Account/{auth_id}/Pricing/?country_iso=US (Standard rate class). */
export function pricingApiRoutes(door: FastifyInstance, { priceDecks }: PricingApiDeps) {
  const app = door.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/Account/:authId/Pricing/',
    {
      schema: {
        tags: ['Plivo-compatible API: Pricing'],
        summary:
          'A country’s prices in force now: voice and messages by number type and destination prefix, number rentals',
        params: PricingParams,
        querystring: PricingQuery,
        response: { 200: PricingAnswer, ...plivoErrors },
      },
    },
    async (request) => ({ api_id: request.apiId, ...(await priceDecks.pricing(request.query.country_iso)) }),
  );
}
