import type { TSchema } from '@sinclair/typebox';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../lib/errors.js';
import { EngineError, MAX_USAGE_EVENTS } from '../modules/billing/engine-schemas.js';
import type { EngineService } from '../modules/billing/engines.js';
import { EngineErrors } from '../modules/billing/errors.js';
import { plainMessage } from './errors.js';
import { refuseUnstorableInput } from './input-guard.js';
import { engineSecurity } from './openapi.js';
import { permissions } from './permissions.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The engine whose key authenticated the request (engine door only). */
    engineId: string;
  }
}

/** The engine that sent a request of the engine door (its key checked before any route runs). */
export function engineOf(request: FastifyRequest): string {
  if (!request.engineId) throw new Error('engine route reached without an engine: check the engine door');
  return request.engineId;
}

/** The engine door's error shape: {"error": code, "message": what to fix}. */
export function engineError(reply: FastifyReply, status: number, code: string, message: string) {
  return reply.code(status).send({ error: code, message });
}

/** A route's response schemas: its answers and the refusals every engine route can give, in the door's shape. */
export function engineResponses<Answers extends Record<number, TSchema>>(answers: Answers) {
  return { ...answers, 400: EngineError, 401: EngineError, 403: EngineError, 500: EngineError };
}

const isUsage = (request: FastifyRequest) => request.url.split('?')[0] === '/api/engine/usage';

/** What to fix in a body the route's schema refused (a usage batch's shape is spelled out). */
function bodyProblem(error: FastifyError, request: FastifyRequest): string {
  const first = error.validation?.[0];
  if (!first) return error.message;
  if (first.instancePath === '/events' && first.keyword === 'maxItems')
    return `A request carries at most ${MAX_USAGE_EVENTS} events: split this batch.`;
  if (first.instancePath === '/events' && first.keyword === 'minItems')
    return 'The batch is empty: send 1 to 1,000 events.';
  const missing = (first.params as { missingProperty?: string }).missingProperty;
  const field = [first.instancePath.replace(/^\//, '').replace(/\//g, '.'), missing]
    .filter(Boolean)
    .join('.');
  const problem = `Check ${field || 'the body'}: it ${plainMessage(first)}.`;
  return isUsage(request)
    ? `${problem} Send {"events": [{"id", "account", "product", "direction", "from", "to", "quantity", "started_at"}, …]}.`
    : problem;
}

function engineErrorHandler(
  error: FastifyError | DomainError | Error,
  request: FastifyRequest,
  reply: FastifyReply,
) {
  if (error instanceof DomainError) {
    // Input PostgreSQL cannot store makes the whole batch unreadable.
    const code =
      error.code === 'invalid_request' && isUsage(request) ? EngineErrors.invalidBatch : error.code;
    return engineError(reply, error.status, code, error.message);
  }
  const fastifyError = error as FastifyError;
  if (fastifyError.validation)
    return engineError(
      reply,
      400,
      isUsage(request) ? EngineErrors.invalidBatch : EngineErrors.invalidRequest,
      bodyProblem(fastifyError, request),
    );
  if (fastifyError.statusCode && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500)
    return engineError(
      reply,
      fastifyError.statusCode,
      fastifyError.code?.toLowerCase() ?? 'bad_request',
      fastifyError.message,
    );
  request.log.error({ err: error }, 'engine request failed');
  return engineError(
    reply,
    500,
    'internal_error',
    `Something went wrong on our side; nothing was charged and the request may be sent again. Request id ${request.id}.`,
  );
}

/**
 * The engine door under /api/engine: operator-side clients (SIP servers, SMSC bridges, usage
 * senders) authenticated with `Authorization: Bearer <engine key>`, its own error shape, no customer
 * rate limit. Every route must be an `engine` entry of the permission table (fail closed).
 */
export function engineDoor(
  app: FastifyInstance,
  engines: Pick<EngineService, 'authenticate'>,
  registerRoutes: (door: FastifyInstance) => void,
) {
  return app.register(
    async (door) => {
      door.setErrorHandler(engineErrorHandler);
      door.decorateRequest('engineId', '');
      door.addHook('onRequest', async (request, reply) => {
        request.engineId = await engines.authenticate(request.headers.authorization);
        const url = request.routeOptions.url;
        if (url === undefined) return; // no such route: the door's 404
        const entry = permissions[`${request.method} ${url}`];
        const access = typeof entry === 'string' ? entry : entry?.access;
        if (access !== 'engine') {
          request.log.error({ route: url }, 'engine route has no engine entry in the permission table');
          return engineError(reply, 403, 'not_permitted', 'This operation is not permitted.');
        }
      });
      door.addHook('preHandler', refuseUnstorableInput);
      door.addHook('onRoute', (route) => {
        route.schema = { ...route.schema, security: engineSecurity };
      });
      door.setNotFoundHandler((request, reply) =>
        engineError(
          reply,
          404,
          EngineErrors.routeNotFound,
          `There is no ${request.method} ${request.url.split('?')[0]} in the engine door.`,
        ),
      );
      registerRoutes(door);
    },
    { prefix: '/api/engine' },
  );
}
