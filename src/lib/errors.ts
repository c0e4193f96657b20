/**
 * Domain errors: services throw these, and each door turns them into its own error shape in one
 * place. `code` is stable for clients; `message` says what to fix, in words a person understands.
 */
export type FieldProblem = { field: string; message: string };

export class DomainError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: FieldProblem[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const ValidationFailed = (code: string, message: string, fields: FieldProblem[] = []) =>
  new DomainError(400, code, message, fields);
/** An update that names nothing to change: refused, so a caller learns that its fields were not understood. */
export const NothingToChange = (fields: string[]) =>
  ValidationFailed(
    'nothing_to_change',
    `Nothing to change: give at least one of ${fields.join(', ')}.`,
    fields.map((field) => ({ field, message: 'give at least one of these fields' })),
  );
/** Whether an update names at least one field (an absent field is undefined). */
export const changesSomething = (changes: object) =>
  Object.values(changes).some((value) => value !== undefined);
export const Unauthorized = (code: string, message: string) => new DomainError(401, code, message);
export const Forbidden = (code: string, message: string, fields: FieldProblem[] = []) =>
  new DomainError(403, code, message, fields);
export const NotFound = (code: string, message: string) => new DomainError(404, code, message);
export const Conflict = (code: string, message: string, fields: FieldProblem[] = []) =>
  new DomainError(409, code, message, fields);
export const Gone = (code: string, message: string) => new DomainError(410, code, message);
export const RateLimited = (message: string, retryAfterSeconds: number) =>
  new DomainError(429, 'too_many_attempts', message, [], {
    'retry-after': String(Math.max(1, retryAfterSeconds)),
  });

/** Throws the error when the condition does not hold. */
export function assertThat(condition: unknown, error: DomainError | (() => DomainError)): asserts condition {
  if (!condition) throw typeof error === 'function' ? error() : error;
}
