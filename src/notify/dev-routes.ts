import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { System } from '../system.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/** The development outbox: every message Switchboard sent, for loopback clients in development only. */
export function devOutboxRoutes(app: FastifyInstance, system: System) {
  const fromLoopback = (request: FastifyRequest) => LOOPBACK.has(request.socket.remoteAddress ?? '');
  app.get<{ Querystring: { to?: string; limit?: string } }>(
    '/dev/outbox',
    { schema: { hide: true } },
    async (request, reply) => {
      if (!fromLoopback(request)) return reply.code(404).send('Not found');
      const wantsJson =
        (request.headers.accept ?? '').includes('application/json') ||
        !(request.headers.accept ?? '').includes('text/html');
      if (!wantsJson) return reply.callNotFound();
      const limit = Math.min(Number(request.query.limit ?? 100) || 100, 500);
      const to = request.query.to?.toLowerCase();
      const messages = (await system.outbox.recent(limit)).filter((m) => !to || m.to.toLowerCase() === to);
      return { messages };
    },
  );
}
