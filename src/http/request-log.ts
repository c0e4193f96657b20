import type { FastifyRequest } from 'fastify';
import type { Logger } from 'pino';

const REDACTED = '[redacted]';

/**
 * The URL of a request as logs show it. Emailed links carry their token in the query
 * (/reset-password?token=…) and some routes in the path (GET /api/password-reset/:token); a log
 * line names the route, never the token.
 */
export function urlForLog(request: FastifyRequest): string {
  let url = request.url;
  const token = (request.params as Record<string, unknown> | undefined)?.token;
  if (typeof token === 'string' && token.length > 0) url = url.split(token).join(REDACTED);
  // An identity provider's redirect back carries a one-time authorization code and the state.
  return url.replace(/([?&](?:token|code|state)=)[^&#]*/gi, `$1${REDACTED}`);
}

/** The logger Fastify is given: its request lines use urlForLog (Fastify's own fields otherwise). */
export function requestLogger(log: Logger): Logger {
  return log.child(
    {},
    {
      serializers: {
        req: (request: FastifyRequest) => ({
          method: request.method,
          url: urlForLog(request),
          host: request.host,
          remoteAddress: request.ip,
          remotePort: request.socket?.remotePort,
        }),
      },
    },
  );
}
