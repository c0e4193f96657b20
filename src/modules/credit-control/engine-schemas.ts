import { Type } from '@sinclair/typebox';

const SessionId = Type.String({
  minLength: 1,
  maxLength: 200,
  description: "the engine's own id of the call or message: every request about it is idempotent on it",
});

/** POST /api/engine/sessions */
export const SessionOpen = Type.Object({
  id: SessionId,
  account: Type.String({
    maxLength: 40,
    description: 'the Auth ID of a main account (MA…) or subaccount (SA…)',
  }),
  product: Type.String({ maxLength: 20, description: 'voice, sms or mms' }),
  direction: Type.String({ maxLength: 20, description: 'outbound or inbound' }),
  from: Type.String({ maxLength: 64 }),
  to: Type.String({
    maxLength: 64,
    description: 'E.164: prices the session as the usage API prices an event',
  }),
  number_type: Type.Optional(
    Type.String({ maxLength: 20, description: 'local, tollfree, mobile or ip (optional)' }),
  ),
  units: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 1000, description: 'messages: the segments to send (default 1)' }),
  ),
});

export const SessionParams = Type.Object({ id: SessionId });

/** POST /api/engine/sessions/{id}/extend */
export const SessionExtend = Type.Object({
  used_seconds: Type.Integer({
    minimum: 0,
    maximum: 86_400,
    description: 'the seconds the call has run so far',
  }),
});

/** POST /api/engine/sessions/{id}/end */
export const SessionEnd = Type.Object({
  seconds: Type.Optional(
    Type.Integer({ minimum: 0, maximum: 2_147_483_647, description: 'calls: seconds used' }),
  ),
  units: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000, description: 'messages: segments sent' })),
  ended_at: Type.Optional(Type.String({ maxLength: 40, description: 'ISO 8601 with a zone (default now)' })),
});

export const SessionAllowed = Type.Object({
  allowed: Type.Literal(true),
  session: Type.String(),
  max_seconds: Type.Optional(
    Type.Integer({ description: 'calls: the most seconds the free credit buys now; end the call by then' }),
  ),
  max_units: Type.Optional(
    Type.Integer({ description: 'messages: the most segments the free credit buys now' }),
  ),
  expires_at: Type.String({
    description: 'a session neither extended nor ended by then is ended at its held amount',
  }),
});

export const SessionRefused = Type.Object({
  allowed: Type.Literal(false),
  error: Type.String({
    description:
      'out_of_credit, spend_cap_reached (402); too_many_sessions, destination_rate_above_limit, account_not_active (403)',
  }),
  reason: Type.String({ description: 'why, in words an engine can log' }),
});

export const SessionEnded = Type.Object({
  session: Type.String(),
  status: Type.Union([Type.Literal('ended'), Type.Literal('expired')]),
  quantity: Type.Integer({ description: 'seconds or units charged for' }),
  amount: Type.String({ description: 'charged, 5 decimals' }),
  flagged: Type.Boolean({ description: 'true when the expiry job ended it at its held amount' }),
});
