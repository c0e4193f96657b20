import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Outbox } from './outbox.js';
import { DevOutbox, DevOutboxQuery } from './schemas.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/** What the development outbox reads: the messages sent. */
export interface DevOutboxRoutesDeps {
  outbox: Pick<Outbox, 'recent'>;
}

/**
 * The development outbox: every message Switchboard sent, for loopback clients in development only.
 * The client is `request.ip`, which is the socket's address unless a trusted proxy forwarded the
 * request, so a remote person reaching a reverse proxy on this machine is refused too.
 */
export function devOutboxRoutes(parent: FastifyInstance, deps: DevOutboxRoutesDeps) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const fromLoopback = (request: FastifyRequest) => LOOPBACK.has(request.ip);
  app.get(
    '/dev/outbox',
    {
      schema: {
        hide: true,
        querystring: DevOutboxQuery,
        response: { 200: DevOutbox, 404: Type.String({ description: 'Not found (text)' }) },
      },
    },
    async (request, reply) => {
      if (!fromLoopback(request)) return reply.code(404).send('Not found');
      const wantsJson =
        (request.headers.accept ?? '').includes('application/json') ||
        !(request.headers.accept ?? '').includes('text/html');
      if (!wantsJson) return reply.callNotFound();
      const to = request.query.to?.toLowerCase();
      const messages = (await deps.outbox.recent(request.query.limit)).filter(
        (m) => !to || m.to.toLowerCase() === to,
      );
      return { messages };
    },
  );
}
