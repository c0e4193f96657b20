import { type Static, Type } from '@sinclair/typebox';
import { Timestamp, type Wire } from '../../http/console-schemas.js';

export const ApiLogQuery = Type.Object({
  from: Type.Optional(
    Type.String({ description: 'earliest time, e.g. 2026-11-25; by default 24 hours before to (or now)' }),
  ),
  to: Type.Optional(Type.String({ description: 'latest time' })),
  status: Type.Optional(Type.String({ description: 'an HTTP status (429) or class (4xx)' })),
  path: Type.Optional(Type.String({ maxLength: 200, description: 'part of the request path' })),
  subaccount: Type.Optional(
    Type.String({
      maxLength: 40,
      description: "a subaccount's Auth ID: its requests only; the main Auth ID: the main account's only",
    }),
  ),
  limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
  offset: Type.Integer({ minimum: 0, default: 0 }),
});
export type ApiLogQuery = Static<typeof ApiLogQuery>;

/** One API request as Logs > API lists it. */
export const ApiRequest = Type.Object({
  apiId: Type.String(),
  method: Type.String(),
  path: Type.String(),
  status: Type.Integer(),
  ip: Type.String(),
  durationMs: Type.Integer(),
  at: Timestamp(),
  subaccount: Type.Union([Type.String(), Type.Null()], {
    description: 'the subaccount whose credentials made the request; null for the main account’s own',
  }),
});
export type ApiRequest = Wire<Static<typeof ApiRequest>>;

/** One page of requests, newest first, the number matching, and the start of the window searched. */
export const ApiRequestPage = Type.Object({
  requests: Type.Array(ApiRequest),
  total: Type.Integer(),
  from: Timestamp({ description: 'the start of the window searched' }),
});
export type ApiRequestPage = Wire<Static<typeof ApiRequestPage>>;

/** Failed authentications against one Auth ID from one address in one hour. */
export const FailedSignIn = Type.Object({
  authId: Type.String(),
  subaccount: Type.Boolean({ description: 'whether the Auth ID is a subaccount’s' }),
  ip: Type.String(),
  count: Type.Integer(),
  firstAt: Timestamp(),
  lastAt: Timestamp(),
});
export type FailedSignIn = Wire<Static<typeof FailedSignIn>>;

export const FailedSignIns = Type.Object({ failures: Type.Array(FailedSignIn) });
export type FailedSignIns = Wire<Static<typeof FailedSignIns>>;
