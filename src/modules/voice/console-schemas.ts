import { type Static, Type } from '@sinclair/typebox';
import { Nullable } from '../../http/common-schemas.js';
import { Timestamp, type Wire } from '../../http/console-schemas.js';

const Money = Type.String({ description: 'an amount with 5 decimals, such as "0.06000"' });
const AuthId = Type.String({ maxLength: 40, description: "a subaccount's Auth ID (SA…)" });
const Party = Type.String({
  maxLength: 128,
  description: 'exactly, as the call shows it: a number or an endpoint username',
});

export const CallStateName = Type.Union([
  Type.Literal('ringing'),
  Type.Literal('in-progress'),
  Type.Literal('completed'),
]);
export const CallDirection = Type.Union([Type.Literal('outbound'), Type.Literal('inbound')]);

/** Voice > Calls' filters: direction, caller, callee, subaccount, only the live calls; a page at a time. */
export const ConsoleCallQuery = Type.Object({
  direction: Type.Optional(CallDirection),
  fromNumber: Type.Optional(Party),
  toNumber: Type.Optional(Party),
  subaccount: Type.Optional(AuthId),
  live: Type.Optional(
    Type.Boolean({ description: 'true: only the calls going on now (ringing or answered)' }),
  ),
  limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
  offset: Type.Integer({ minimum: 0, default: 0 }),
});
export type ConsoleCallQuery = Static<typeof ConsoleCallQuery>;

/** A call as Voice > Calls lists it. */
export const ConsoleCall = Type.Object({
  uuid: Type.String(),
  direction: CallDirection,
  state: CallStateName,
  from: Type.String(),
  to: Type.String(),
  subaccount: Nullable(Type.String({ description: "the subaccount's Auth ID; null for the main account" })),
  initiatedAt: Timestamp({ description: 'when the SIP server asked for it (its INVITE)' }),
  answeredAt: Nullable(Timestamp()),
  endedAt: Nullable(Timestamp()),
  durationSeconds: Nullable(Type.Integer({ description: 'from answer to end; null until it ends' })),
  billedSeconds: Nullable(
    Type.Integer({
      description: 'the seconds charged (the duration up to the increment); null until it ends',
    }),
  ),
  rate: Money,
  amount: Type.String({ description: 'what it cost (5 decimals); 0 until it ends' }),
  hangupCause: Nullable(Type.String({ description: 'such as NORMAL_CLEARING; null until it ends' })),
});
export type ConsoleCall = Wire<Static<typeof ConsoleCall>>;

export const ConsoleCallPage = Type.Object({
  calls: Type.Array(ConsoleCall),
  total: Type.Integer(),
});
export type ConsoleCallPage = Wire<Static<typeof ConsoleCallPage>>;

export const ConsoleCallParams = Type.Object({ callUuid: Type.String({ format: 'uuid' }) });

/** One call with who ended it and how it was routed. */
export const ConsoleCallDetail = Type.Composite([
  ConsoleCall,
  Type.Object({
    hangupSource: Nullable(Type.String({ description: 'caller, callee, or the system that ended it' })),
    sipCode: Nullable(Type.Integer({ description: 'the final SIP response code, when there was one' })),
    route: Type.Union([Type.Literal('endpoint'), Type.Literal('carrier')], {
      description: 'endpoint: to a SIP endpoint of Switchboard; carrier: out to the telephone network',
    }),
    currency: Type.String(),
  }),
]);
export type ConsoleCallDetail = Wire<Static<typeof ConsoleCallDetail>>;

/** A hang-up asked of the call's SIP server: the call ends (and leaves the live calls) once it reports the end. */
export const HangupRequested = Type.Object({ callUuid: Type.String() });
export type HangupRequested = Static<typeof HangupRequested>;
