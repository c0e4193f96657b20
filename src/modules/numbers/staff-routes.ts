import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { NoContent } from '../../http/common-schemas.js';
import { consoleErrors, consoleResponses } from '../../http/console-schemas.js';
import { clientOf, sessionOf } from '../../http/guard.js';
import { formatMoney } from '../../lib/money.js';
import { ConsoleNumberParams, Inventory, InventoryLoad, InventoryLoaded, InventoryQuery } from './schemas.js';
import type { NumberService } from './service.js';
import type { InventoryRow } from './store.js';

/** What the staff's inventory routes use. */
export interface NumberStaffRoutesDeps {
  numbers: Pick<NumberService, 'load' | 'inventory' | 'removeFromInventory'>;
}

const tags = ['Staff console'];

const inventoryObject = (row: InventoryRow) => ({
  number: row.number,
  countryIso: row.country_iso,
  type: row.number_type,
  region: row.region,
  city: row.city,
  voice: row.voice_enabled,
  sms: row.sms_enabled,
  mms: row.mms_enabled,
  monthlyRental: formatMoney(row.monthly_rental_micros),
  loadedAt: row.loaded_at,
  rentedSince: row.added_on,
  account:
    row.account_id && row.account_auth_id && row.account_name !== null
      ? { id: row.account_id, authId: row.account_auth_id, name: row.account_name }
      : null,
  subaccount: row.subaccount_auth_id,
});

/** Staff list the inventory with who rents what, add numbers as `switchboard numbers load` does, and remove unrented ones. */
export function numberStaffRoutes(parent: FastifyInstance, { numbers }: NumberStaffRoutesDeps) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const actorOf = (request: FastifyRequest) => ({
    ...clientOf(request),
    staffId: sessionOf(request).staffId,
  });

  app.get(
    '/api/staff/numbers',
    {
      schema: {
        tags,
        summary:
          'The number inventory, rented and unrented, with the account renting each number; filters by country, type, state and a number or account',
        querystring: InventoryQuery,
        response: consoleResponses({ 200: Inventory }),
      },
    },
    async (request) => {
      const { limit, offset, ...filter } = request.query;
      const page = await numbers.inventory(filter, limit, offset);
      return { numbers: page.rows.map(inventoryObject), total: page.total };
    },
  );

  app.post(
    '/api/staff/numbers',
    {
      schema: {
        tags,
        summary: 'Add numbers to the inventory from a CSV; nothing is added unless every line is good',
        body: InventoryLoad,
        response: { 200: InventoryLoaded, ...consoleErrors },
      },
    },
    async (request) => numbers.load(actorOf(request), request.body.csv),
  );

  app.delete(
    '/api/staff/numbers/:number',
    {
      schema: {
        tags,
        summary:
          'Remove an unrented number from the inventory; a rented number is refused (409), naming its account',
        params: ConsoleNumberParams,
        response: consoleResponses({ 204: NoContent }, 404, 409),
      },
    },
    async (request, reply) => {
      await numbers.removeFromInventory(actorOf(request), request.params.number.trim().replace(/^\+/, ''));
      return reply.code(204).send();
    },
  );
}
