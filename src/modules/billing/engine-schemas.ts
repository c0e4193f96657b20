import { type Static, Type } from '@sinclair/typebox';
import { Timestamp, type Wire } from '../../http/console-schemas.js';

/**
 * Engine credentials (staff) and the engine door's usage API. Like every schemas file this imports
 * only TypeBox (and the shared console schemas), so the console imports its types.
 */

/** POST /api/staff/engines */
export const EngineCreate = Type.Object({
  name: Type.String({
    minLength: 1,
    maxLength: 63,
    description: 'lower-case letters, digits, ".", "_" or "-" (e.g. sbc1)',
  }),
});

/** The one answer that carries the key: it is never shown again. */
export const EngineCreated = Type.Object({
  engineId: Type.String({ format: 'uuid' }),
  name: Type.String(),
  key: Type.String({ description: 'send as "Authorization: Bearer <key>"; shown once' }),
});
export type EngineCreated = Static<typeof EngineCreated>;

export const EngineView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  createdBy: Type.String(),
  createdAt: Timestamp(),
  lastUsedAt: Type.Union([Timestamp(), Type.Null()]),
  revokedAt: Type.Union([Timestamp(), Type.Null()]),
  disconnectUrl: Type.Union([Type.String(), Type.Null()]),
  disconnectProtocol: Type.Union([Type.Literal('webhook'), Type.Literal('kamailio-jsonrpc')]),
  openSessions: Type.Integer({ description: 'credit sessions it opened that are open now' }),
});
/** An engine as the console receives it. */
export type EngineView = Wire<Static<typeof EngineView>>;

export const EngineDisconnect = Type.Object(
  {
    url: Type.String({ minLength: 1, maxLength: 2000, description: 'where disconnect requests are POSTed' }),
    protocol: Type.Optional(
      Type.Union([Type.Literal('webhook'), Type.Literal('kamailio-jsonrpc')], {
        description:
          "webhook (default): a signed POST listing the sessions; kamailio-jsonrpc: the URL is Kamailio's JSON-RPC endpoint, and each call is ended with dlg.end_dlg",
      }),
    ),
  },
  { additionalProperties: false },
);
export const EngineDisconnectSet = Type.Object({
  engine: EngineView,
  signingSecret: Type.String({ description: 'signs the disconnect webhooks; shown this once' }),
});
export type EngineDisconnectSet = Wire<Static<typeof EngineDisconnectSet>>;

export const EngineList = Type.Object({ engines: Type.Array(EngineView) });
export type EngineList = Wire<Static<typeof EngineList>>;

/** The engine door's errors: {"error": code, "message": what to fix}. */
export const EngineError = Type.Object(
  {
    error: Type.String({ description: 'stable, for programs: e.g. engine_key_invalid' }),
    message: Type.String({ description: 'what to fix' }),
  },
  { description: 'An error of the engine door' },
);

/** The most events one request may carry. */
export const MAX_USAGE_EVENTS = 1000;

const UsageEvent = Type.Object({
  id: Type.String({
    minLength: 1,
    maxLength: 200,
    description: "the engine's own id of the event: sent again, it is a duplicate",
  }),
  account: Type.String({
    maxLength: 40,
    description: 'the Auth ID of a main account (MA…) or subaccount (SA…)',
  }),
  product: Type.String({ maxLength: 20, description: 'voice, sms or mms' }),
  direction: Type.String({ maxLength: 20, description: 'outbound or inbound' }),
  from: Type.String({ maxLength: 64 }),
  to: Type.String({
    maxLength: 64,
    description:
      'E.164: the number called or messaged (outbound), or the account number that received it (inbound); it prices the event',
  }),
  number_type: Type.Optional(
    Type.String({ maxLength: 20, description: 'local, tollfree, mobile or ip (optional)' }),
  ),
  quantity: Type.Number({ description: 'seconds (voice) or segments (messages), a whole number ≥ 0' }),
  started_at: Type.String({ maxLength: 40, description: 'ISO 8601 with a zone: 2027-01-15T12:00:00Z' }),
});

/** POST /api/engine/usage */
export const UsageBatch = Type.Object({
  events: Type.Array(UsageEvent, { minItems: 1, maxItems: MAX_USAGE_EVENTS }),
});

export const UsageOutcome = Type.Object({
  id: Type.String(),
  status: Type.Union([Type.Literal('charged'), Type.Literal('duplicate'), Type.Literal('rejected')]),
  amount: Type.String({ description: 'charged, 5 decimals; "0.00000" unless charged' }),
  reason: Type.Union([Type.String(), Type.Null()], {
    description: 'why it was not charged (a rejection starts with its code, e.g. "no_price: …")',
  }),
});

export const UsageAnswer = Type.Object({ events: Type.Array(UsageOutcome) });
