import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { consoleErrors } from '../../http/console-schemas.js';
import { clientOf, sessionOf } from '../../http/guard.js';
import { InventoryLoad, InventoryLoaded } from './schemas.js';
import type { NumberService } from './service.js';

/** What the staff's inventory route uses. */
export interface NumberStaffRoutesDeps {
  numbers: Pick<NumberService, 'load'>;
}

const tags = ['Staff console'];

/** Staff add numbers to the inventory, as `switchboard numbers load` does. */
export function numberStaffRoutes(parent: FastifyInstance, { numbers }: NumberStaffRoutesDeps) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
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
    async (request) =>
      numbers.load({ ...clientOf(request), staffId: sessionOf(request).staffId }, request.body.csv),
  );
}
