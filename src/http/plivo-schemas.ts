import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { Nullable } from './common-schemas.js';

/**
 * Schemas every /v1 route shares: Plivo's error shape, its list query and envelope. Imports only
 * TypeBox, so module schemas (and the console, for their types) can build on them.
 */

/** Plivo's error shape: {"api_id": "...", "error": "a message saying what is wrong"}. */
export const PlivoError = Type.Object({
  api_id: Type.String(),
  error: Type.String({ description: 'what is wrong, in words a person understands' }),
});
export type PlivoError = Static<typeof PlivoError>;

/**
 * The refusals any /v1 route can answer: invalid parameters or a refused operation (400), credentials
 * (401), a suspended or closed account or an IP not whitelisted (403), another account's ID or an
 * unknown resource (404), the rate limit (429), and a failure on our side (500).
 */
export const plivoErrors = {
  400: PlivoError,
  401: PlivoError,
  403: PlivoError,
  404: PlivoError,
  429: PlivoError,
  500: PlivoError,
} as const;

/** A billable request's errors: those of every request and 402, the account out of credit. */
export const plivoBillableErrors = { ...plivoErrors, 402: PlivoError } as const;

/** What a change answers: {"api_id": "...", "message": "changed"}. */
export const PlivoChanged = Type.Object({ api_id: Type.String(), message: Type.String() });

/** limit (1–20, default 20) and offset (default 0), as Plivo's list APIs take them. */
export const ListQuery = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 20, default: 20, description: 'objects per page, 1 to 20' }),
  offset: Type.Integer({ minimum: 0, default: 0 }),
});

/** Plivo's list meta: the page, the total, and the neighbouring pages' relative URIs. */
export const ListMeta = Type.Object({
  limit: Type.Integer(),
  next: Nullable(Type.String()),
  offset: Type.Integer(),
  previous: Nullable(Type.String()),
  total_count: Type.Integer(),
});

/** Plivo's list envelope around objects of one kind. */
export const PlivoList = <T extends TSchema>(object: T) =>
  Type.Object({ api_id: Type.String(), meta: ListMeta, objects: Type.Array(object) });

/** The account in every /v1 path: /v1/Account/{auth_id}/…. */
export const AccountParams = Type.Object({ authId: Type.String({ maxLength: 40 }) });

/** An object as a get answers it: with the request's api_id. */
export const WithApiId = <T extends TSchema>(object: T) =>
  Type.Composite([Type.Object({ api_id: Type.String() }), object]);
