import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { System } from '../system.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * The development outbox: every message Switchboard sent, for loopback clients in development only.
 * The client is `request.ip`, which is the socket's address unless a trusted proxy forwarded the
 * request, so a remote person reaching a reverse proxy on this machine is refused too.
 */
export function devOutboxRoutes(app: FastifyInstance, system: System) {
  const fromLoopback = (request: FastifyRequest) => LOOPBACK.has(request.ip);
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
