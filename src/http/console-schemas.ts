import { type Static, Type } from '@sinclair/typebox';

/**
 * The console and staff doors' error shape, as problemReply (http/errors.ts) sends it: problem+json
 * with a stable code, a detail saying what to fix, and the fields at fault. Imports only TypeBox.
 */
export const ConsoleError = Type.Object({
  type: Type.String(),
  status: Type.Integer(),
  code: Type.String({ description: 'stable, for programs: invalid_request, number_not_found, …' }),
  title: Type.String(),
  detail: Type.String({ description: 'what to fix, in words a person understands' }),
  errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
});
export type ConsoleError = Static<typeof ConsoleError>;

/**
 * The refusals any console route can answer: invalid input (400), no session (401), a role, stage
 * or CSRF refusal (403), an unknown resource (404), and a failure on our side (500). Routes whose
 * service can also refuse with 409 add it.
 */
export const consoleErrors = {
  400: ConsoleError,
  401: ConsoleError,
  403: ConsoleError,
  404: ConsoleError,
  500: ConsoleError,
} as const;
