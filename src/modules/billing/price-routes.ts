import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { consoleResponses } from '../../http/console-schemas.js';
import { clientOf, staffSessionOf } from '../../http/guard.js';
import type { PriceDeckService } from './price-decks.js';
import { PriceDeckLoad, PriceDeckLoaded, PriceDecks, Pricing, PricingQuery } from './price-schemas.js';

/** What the price routes of the staff and console doors use. */
export interface PriceRoutesDeps {
  priceDecks: Pick<PriceDeckService, 'load' | 'decks' | 'pricing'>;
}

/** Staff load price decks, as `switchboard prices load` does, and list the decks loaded. */
export function priceStaffRoutes(parent: FastifyInstance, { priceDecks }: PriceRoutesDeps) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['Staff console'];
  app.post(
    '/api/staff/prices',
    {
      schema: {
        tags,
        summary: 'Load a price deck from a CSV; nothing is loaded unless every line is good',
        body: PriceDeckLoad,
        response: consoleResponses({ 200: PriceDeckLoaded }),
      },
    },
    async (request) => {
      const { staffId } = staffSessionOf(request);
      return priceDecks.load({ ...clientOf(request), staffId }, `staff:${staffId}`, request.body.csv);
    },
  );

  app.get(
    '/api/staff/prices',
    {
      schema: {
        tags,
        summary: 'The price decks loaded, newest first: when, by whom, how many rows',
        response: consoleResponses({ 200: PriceDecks }),
      },
    },
    async () => ({ decks: await priceDecks.decks() }),
  );
}

/** Voice > Pricing and Messaging > Pricing: a country's prices, for every member. */
export function pricingRoutes(parent: FastifyInstance, { priceDecks }: PriceRoutesDeps) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/api/pricing',
    {
      schema: {
        tags: ['Console: pricing'],
        summary: 'A country’s prices in force now: calls, messages and number rentals (country_iso required)',
        querystring: PricingQuery,
        response: consoleResponses({ 200: Pricing }, 404),
      },
    },
    async (request) => priceDecks.pricing(request.query.country_iso),
  );
}
