import { type Static, type TSchema, Type } from '@sinclair/typebox';

/**
 * Schemas shared by the console and staff doors. Like every module's schemas.ts, this file imports
 * only TypeBox: the web console imports its types (`import type`) for its requests and responses.
 */

/** The problem+json answer of every console and staff error (src/http/errors.ts writes it). */
export const ConsoleError = Type.Object(
  {
    type: Type.String(),
    status: Type.Integer(),
    code: Type.String({ description: 'stable, for programs: e.g. last_owner' }),
    title: Type.String(),
    detail: Type.String({ description: 'what to fix, in words a person understands' }),
    errors: Type.Optional(
      Type.Array(Type.Object({ field: Type.String(), message: Type.String() }), {
        description: 'the fields to fix',
      }),
    ),
  },
  { description: 'An error (application/problem+json)' },
);
export type ConsoleError = Static<typeof ConsoleError>;

/** A point in time: a Date on the server, an ISO 8601 string on the wire (see Wire). */
export const Timestamp = (options: { description?: string } = {}) =>
  Type.Unsafe<Date>(Type.String({ format: 'date-time', ...options }));

export { NoContent } from './common-schemas.js';

/** A PDF document sent as a download (application/pdf): an invoice, a receipt. */
export const PdfFile = Type.String({ description: 'a PDF document (application/pdf)' });

/** What a value looks like once serialized as JSON: Dates become their ISO 8601 strings. */
export type Wire<T> = T extends Date
  ? string
  : T extends readonly (infer Item)[]
    ? Wire<Item>[]
    : T extends object
      ? { [K in keyof T]: Wire<T[K]> }
      : T;

/** Error statuses any console or staff route can answer: 400 (input), 401 and 403 (the guard), 500. */
const alwaysPossible = [400, 401, 403, 500] as const;
type ErrorStatus = (typeof alwaysPossible)[number] | 402 | 404 | 409 | 410 | 429;

/**
 * A route's response schemas: its answers, the errors every route can give and the ones it names
 * (e.g. 404, 409), all in the console's problem+json shape.
 */
export function consoleResponses<Answers extends Record<number, TSchema>, Extra extends ErrorStatus = never>(
  answers: Answers,
  ...extra: Extra[]
): Answers & Record<(typeof alwaysPossible)[number] | Extra, typeof ConsoleError> {
  const errors = Object.fromEntries([...alwaysPossible, ...extra].map((status) => [status, ConsoleError]));
  return { ...answers, ...errors } as Answers &
    Record<(typeof alwaysPossible)[number] | Extra, typeof ConsoleError>;
}

/** The refusals of a console route on one resource: those every route can give, and 404. */
export const consoleErrors = consoleResponses({}, 404);
