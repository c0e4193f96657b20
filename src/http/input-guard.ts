import type { FastifyReply, FastifyRequest } from 'fastify';
import { ValidationFailed } from '../lib/errors.js';

/** How deeply a request body may nest objects and arrays; no route takes more than a few levels. */
export const MAX_BODY_DEPTH = 16;

/**
 * The nesting depth of a JSON text, counted without parsing it (brackets inside strings do not
 * count), stopping as soon as it passes `limit`: a body nested a hundred thousand levels deep is
 * refused before anything recurses over it.
 */
export function nestingExceeds(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === 0x5c) i++;
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) inString = true;
    else if (char === 0x7b || char === 0x5b) {
      depth++;
      if (depth > limit) return true;
    } else if (char === 0x7d || char === 0x5d) depth--;
  }
  return false;
}

export const tooDeep = () =>
  ValidationFailed(
    'body_too_deep',
    `The request body nests objects or arrays more than ${MAX_BODY_DEPTH} levels deep.`,
    [{ field: 'body', message: `must not nest more than ${MAX_BODY_DEPTH} levels deep` }],
  );

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why a string cannot be stored as text: PostgreSQL text holds no NUL, and a lone surrogate is not UTF-8. */
function textProblem(value: string): string | undefined {
  if (value.includes('\u0000')) return 'must not contain a NUL character (U+0000)';
  if (LONE_SURROGATE.test(value)) return 'must not contain a lone UTF-16 surrogate (invalid Unicode)';
  return undefined;
}

function firstProblem(value: unknown, field: string): { field: string; message: string } | undefined {
  if (typeof value === 'string') {
    const message = textProblem(value);
    return message ? { field, message } : undefined;
  }
  if (typeof value === 'number') {
    return Number.isFinite(value) ? undefined : { field, message: 'must be a finite number' };
  }
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, item] of Object.entries(value)) {
    const name = field ? `${field}.${key}` : key;
    const keyMessage = textProblem(key);
    if (keyMessage) return { field: name, message: `has a field name that ${keyMessage}` };
    const problem = firstProblem(item, name);
    if (problem) return problem;
  }
  return undefined;
}

const refusal = (problem: { field: string; message: string } | undefined) =>
  problem
    ? ValidationFailed('invalid_request', `Check this field: ${problem.field} ${problem.message}.`, [
        { field: problem.field || 'body', message: problem.message },
      ])
    : undefined;

/**
 * A hook after validation: a NUL character or a lone surrogate anywhere
 * in the path, query or body (PostgreSQL cannot store either), or a number that is not finite (a
 * coerced "Infinity"), is refused with 400 naming the field, before any route reads the request.
 */
export function refuseUnstorableInput(
  request: FastifyRequest,
  _reply: FastifyReply,
  done: (error?: Error) => void,
) {
  done(
    refusal(
      firstProblem(request.params, '') ?? firstProblem(request.query, '') ?? firstProblem(request.body, ''),
    ),
  );
}

/**
 * The path's part of that refusal, for the /v1 door to check right after the gate admits a request,
 * so that a route taking neither query nor body pays for no hook of its own (each hook costs every
 * request: bench/gate); routes that take one run the whole check after validation.
 */
export const unstorablePath = (request: FastifyRequest) => refusal(firstProblem(request.params, ''));
