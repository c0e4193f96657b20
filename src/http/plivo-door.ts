import type { FastifyBaseLogger, FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../lib/errors.js';
import type { GateAccount } from '../modules/gate/account-cache.js';
import type { Gate } from '../modules/gate/gate.js';
import {
  MAX_BODY_DEPTH,
  nestingExceeds,
  refuseUnstorableInput,
  tooDeep,
  unstorablePath,
} from './input-guard.js';
import { apiSecurity } from './openapi.js';

/** Plivo's error shape: {"api_id": "...", "error": "a message saying what is wrong"}. */
export function plivoError(request: FastifyRequest, reply: FastifyReply, status: number, message: string) {
  return reply.code(status).send({ api_id: request.apiId, error: message });
}

function plivoErrorHandler(
  error: FastifyError | DomainError | Error,
  request: FastifyRequest,
  reply: FastifyReply,
) {
  if (error instanceof DomainError) {
    for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
    return plivoError(request, reply, error.status, error.message);
  }
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) {
    const detail = fastifyError.validation
      .map((v) => {
        const field =
          (v.params as { missingProperty?: string }).missingProperty ?? v.instancePath.replace(/^\//, '');
        return `${field || 'request'} ${v.message ?? 'is not valid'}`;
      })
      .join('; ');
    return plivoError(request, reply, 400, `Invalid request: ${detail}.`);
  }
  if (fastifyError.statusCode && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    return plivoError(request, reply, fastifyError.statusCode, fastifyError.message);
  }
  request.log.error({ err: error, apiId: request.apiId }, 'API request failed');
  return plivoError(
    request,
    reply,
    500,
    `Something went wrong on our side. Quote api_id ${request.apiId} to support.`,
  );
}

function noBodyMeansNoParameters(request: FastifyRequest, _reply: FastifyReply, done: () => void) {
  if (request.body === undefined || request.body === null) request.body = {};
  done();
}

/**
 * The Plivo-compatible door under /v1: its own body parsing (the SDK sends the JSON body `""` even
 * on GET and DELETE), its own error shape, and the gate on every request.
 */
export function plivoDoor(app: FastifyInstance, gate: Gate, registerRoutes: (door: FastifyInstance) => void) {
  return app.register(
    async (door) => {
      door.removeContentTypeParser('application/json');
      door.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
        const text = String(body).trim();
        if (text === '' || text === '""') return done(null, {});
        if (nestingExceeds(text, MAX_BODY_DEPTH)) return done(tooDeep(), undefined);
        try {
          const parsed: unknown = JSON.parse(text);
          done(null, parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : {});
        } catch {
          const error = new Error('The request body is not valid JSON.') as FastifyError;
          error.statusCode = 400;
          done(error, undefined);
        }
      });
      door.setErrorHandler(plivoErrorHandler);
      // One logger for the whole door instead of a child per request, which pino builds and then
      // re-levels (measured in bench/gate); a failure's log line names its api_id instead.
      let doorLogger: FastifyBaseLogger | undefined;
      door.setChildLoggerFactory((logger, _bindings, options) => {
        doorLogger ??= logger.child({}, options);
        return doorLogger;
      });
      // Declared up front so every request object has one shape; the gate fills them in before any route runs.
      door.decorateRequest('apiAccount', null as unknown as GateAccount);
      door.decorateRequest('apiTokenId', undefined);
      door.decorateRequest('apiKey', undefined);
      door.decorateRequest('apiId', '');
      // The gate, then the path checked for what PostgreSQL cannot store, in one hook.
      door.addHook('onRequest', (request, reply, done) =>
        gate.check(request, reply, (error) => done(error ?? unstorablePath(request))),
      );
      // A DELETE or POST without a body (curl) means "no parameters", as the SDK's `{}` or `""` does.
      // A query or body is checked once validated (and coerced). Only routes that take one pay for these hooks.
      door.addHook('onRoute', (route) => {
        const takesBody = [route.method].flat().some((method) => method !== 'GET' && method !== 'HEAD');
        if (takesBody) route.preValidation = [noBodyMeansNoParameters, ...[route.preValidation ?? []].flat()];
        if (takesBody || route.schema?.querystring)
          route.preHandler = [refuseUnstorableInput, ...[route.preHandler ?? []].flat()];
      });
      door.addHook('onRoute', (route) => {
        route.schema = { ...route.schema, security: apiSecurity };
      });
      door.addHook('onResponse', gate.record);
      // The door's onRequest hook (the gate) runs for unknown routes too: they are counted once.
      door.setNotFoundHandler((request, reply) =>
        plivoError(
          request,
          reply,
          404,
          `There is no ${request.method} ${request.url.split('?')[0]} in the API.`,
        ),
      );
      registerRoutes(door);
    },
    // Each /v1 request is recorded in the API request log (Logs > API); the process log keeps warnings and errors only.
    { prefix: '/v1', logLevel: 'warn' },
  );
}
