import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { clientOf, sessionOf } from '../../http/guard.js';
import type { System } from '../../system.js';

const tags = ['Staff console'];
const LoadBody = Type.Object({
  csv: Type.String({
    maxLength: 1_000_000,
    description: 'The inventory CSV the CLI loads: a header line, then one number per line (see README)',
  }),
});

/** Staff add numbers to the inventory, as `switchboard numbers load` does. */
export function numberStaffRoutes(app: FastifyInstance, system: System) {
  app.post<{ Body: Static<typeof LoadBody> }>(
    '/api/staff/numbers',
    {
      schema: {
        tags,
        summary: 'Add numbers to the inventory from a CSV; nothing is added unless every line is good',
        body: LoadBody,
      },
    },
    async (request) =>
      system.numbers.load({ ...clientOf(request), staffId: sessionOf(request).staffId }, request.body.csv),
  );
}
