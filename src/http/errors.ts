import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, type FieldProblem } from '../lib/errors.js';

/** The console and staff APIs answer errors as problem+json: status, code, a message saying what to fix, field problems. */
export function problemReply(
  reply: FastifyReply,
  status: number,
  code: string,
  detail: string,
  errors: FieldProblem[] = [],
) {
  return reply
    .code(status)
    .type('application/problem+json')
    .send({
      type: 'about:blank',
      status,
      code,
      title: titles[status] ?? 'Error',
      detail,
      ...(errors.length ? { errors } : {}),
    });
}

const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  410: 'Gone',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
};

interface SchemaProblem {
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

/** Schema validation messages in plain words (the validator's own read "must NOT have fewer than 3 characters"). */
export function plainMessage(problem: SchemaProblem): string {
  const { keyword, params } = problem;
  switch (keyword) {
    case 'required':
      return 'is required';
    case 'minLength':
      return params.limit === 1 ? 'must not be empty' : `must have at least ${params.limit} characters`;
    case 'maxLength':
      return `must have at most ${params.limit} characters`;
    case 'minimum':
      return `must be at least ${params.limit}`;
    case 'maximum':
      return `must be at most ${params.limit}`;
    case 'format':
      return params.format === 'uuid' ? 'must be an id such as 3f2c…-…' : `must be a valid ${params.format}`;
    case 'type':
      return `must be a ${params.type}`;
    case 'const':
    case 'enum':
    case 'anyOf':
      return 'is not one of the allowed values';
    case 'additionalProperties':
      return `has an unknown field "${params.additionalProperty}"`;
    default:
      return problem.message ?? 'is not valid';
  }
}

const fieldName = (instancePath: string, missing?: string) =>
  [instancePath.replace(/^\//, '').replace(/\//g, '.'), missing].filter(Boolean).join('.') || 'body';

/** Maps every error thrown on the console door to its answer; a person never sees a stack trace. */
export function consoleErrorHandler(
  error: FastifyError | DomainError | Error,
  request: FastifyRequest,
  reply: FastifyReply,
) {
  if (error instanceof DomainError) {
    for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
    return problemReply(reply, error.status, error.code, error.message, error.fields);
  }
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) {
    const fields = fastifyError.validation.map((v) => ({
      field: fieldName(v.instancePath, (v.params as { missingProperty?: string }).missingProperty),
      message: plainMessage(v),
    }));
    return problemReply(
      reply,
      400,
      'invalid_request',
      `Check these fields: ${fields.map((f) => `${f.field} ${f.message}`).join('; ')}.`,
      fields,
    );
  }
  if (fastifyError.statusCode && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    return problemReply(
      reply,
      fastifyError.statusCode,
      fastifyError.code?.toLowerCase() ?? 'bad_request',
      fastifyError.message,
    );
  }
  request.log.error({ err: error }, 'request failed');
  return problemReply(
    reply,
    500,
    'internal_error',
    `Something went wrong on our side. Quote request id ${request.id} to support.`,
  );
}
