import { type Static, Type } from '@sinclair/typebox';
import { Nullable } from '../../http/common-schemas.js';
import { Timestamp, type Wire } from '../../http/console-schemas.js';

const Money = Type.String({ description: 'an amount with 5 decimals, such as "0.00650"' });
const AuthId = Type.String({ maxLength: 40, description: "a subaccount's Auth ID (SA…)" });

/** The states a message shows: Plivo's, and Switchboard's scheduled and canceled. */
export const MessageStateName = Type.Union([
  Type.Literal('scheduled'),
  Type.Literal('queued'),
  Type.Literal('sent'),
  Type.Literal('delivered'),
  Type.Literal('undelivered'),
  Type.Literal('failed'),
  Type.Literal('canceled'),
  Type.Literal('received'),
]);

/** Messaging > Logs' filters: time range, state, direction, numbers and subaccount; a page at a time. */
export const ConsoleMessageQuery = Type.Object({
  from: Type.Optional(Type.String({ format: 'date-time', description: 'sent or received at or after' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'sent or received before' })),
  state: Type.Optional(MessageStateName),
  direction: Type.Optional(Type.Union([Type.Literal('outbound'), Type.Literal('inbound')])),
  fromNumber: Type.Optional(Type.String({ maxLength: 20, description: 'the sender, exactly' })),
  toNumber: Type.Optional(Type.String({ maxLength: 20, description: 'the destination, exactly' })),
  subaccount: Type.Optional(AuthId),
  limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
  offset: Type.Integer({ minimum: 0, default: 0 }),
});
export type ConsoleMessageQuery = Static<typeof ConsoleMessageQuery>;

/** A message as Messaging > Logs lists it. */
export const ConsoleMessage = Type.Object({
  uuid: Type.String(),
  direction: Type.Union([Type.Literal('outbound'), Type.Literal('inbound')]),
  state: Type.String(),
  from: Type.String(),
  to: Type.String(),
  subaccount: Nullable(Type.String({ description: "the subaccount's Auth ID; null for the main account" })),
  units: Type.Integer({ description: 'segments' }),
  encoding: Type.String({ description: 'GSM or UCS2' }),
  country: Type.String({ description: "the destination's ISO country code" }),
  rate: Money,
  amount: Type.String({ description: 'what it cost once sent (5 decimals); 0 while queued or if it failed' }),
  errorCode: Nullable(Type.Integer()),
  createdAt: Timestamp(),
  sentAt: Nullable(Timestamp()),
  sendAt: Nullable(Timestamp({ description: 'when a scheduled message is due' })),
  updatedAt: Timestamp(),
});
export type ConsoleMessage = Wire<Static<typeof ConsoleMessage>>;

export const ConsoleMessagePage = Type.Object({
  messages: Type.Array(ConsoleMessage),
  total: Type.Integer(),
});
export type ConsoleMessagePage = Wire<Static<typeof ConsoleMessagePage>>;

export const ConsoleMessageParams = Type.Object({ messageUuid: Type.String({ format: 'uuid' }) });

/** A state the message reached, with why. */
export const TimelineEvent = Type.Object({
  state: Type.String(),
  errorCode: Nullable(Type.Integer()),
  detail: Type.String(),
  at: Timestamp(),
});
export type TimelineEvent = Wire<Static<typeof TimelineEvent>>;

/** One message with its text and its delivery timeline, oldest state first. */
export const ConsoleMessageDetail = Type.Composite([
  ConsoleMessage,
  Type.Object({
    text: Nullable(Type.String({ description: 'null once a message sent with log=false is final' })),
    callbackUrl: Nullable(Type.String()),
    expirySeconds: Type.Integer(),
    timeline: Type.Array(TimelineEvent),
  }),
]);
export type ConsoleMessageDetail = Wire<Static<typeof ConsoleMessageDetail>>;

/** Send a test SMS from the console: from a number or sender ID, as the main account or a subaccount. */
export const ConsoleSend = Type.Object({
  src: Type.String({ maxLength: 20, description: 'a number with SMS or a whitelisted sender ID' }),
  dst: Type.String({ maxLength: 2000, description: 'the destination; several joined with <' }),
  text: Type.String({ maxLength: 6400, description: 'at most 1,600 characters' }),
  subaccount: Type.Optional(
    Type.String({
      maxLength: 40,
      description: 'send as this subaccount (its Auth ID); absent: the main account',
    }),
  ),
});
export type ConsoleSend = Static<typeof ConsoleSend>;

export const ConsoleSent = Type.Object({
  messageUuids: Type.Array(Type.String()),
  invalidNumbers: Type.Array(Type.String()),
});
export type ConsoleSent = Static<typeof ConsoleSent>;

const Owner = Type.Union([Type.Object({ authId: Type.String(), name: Type.String() }), Type.Null()], {
  description: 'the subaccount it belongs to; null: the main account',
});

/** What the account may send from: its numbers with SMS and the whitelisted sender IDs, with whose they are. */
export const Senders = Type.Object({
  senders: Type.Array(
    Type.Object({
      src: Type.String(),
      kind: Type.Union([Type.Literal('number'), Type.Literal('sender_id')]),
      subaccount: Owner,
    }),
  ),
});
export type Senders = Static<typeof Senders>;

/** A sender ID just whitelisted, and whose it is. */
export const SenderIdWhitelisted = Type.Object({
  id: Type.String(),
  senderId: Type.String(),
  kind: Type.Union([Type.Literal('alphanumeric'), Type.Literal('number')]),
  subaccount: Owner,
});
export type SenderIdWhitelisted = Static<typeof SenderIdWhitelisted>;

/** A whitelisted sender ID, whose it is and since when. */
export const OwnedSenderId = Type.Composite([SenderIdWhitelisted, Type.Object({ createdAt: Timestamp() })]);
export type OwnedSenderId = Wire<Static<typeof OwnedSenderId>>;

export const OwnedSenderIds = Type.Object({ senderIds: Type.Array(OwnedSenderId) });
export type OwnedSenderIds = Wire<Static<typeof OwnedSenderIds>>;

export const SenderIdWhitelisting = Type.Object({
  senderId: Type.String({ maxLength: 32, description: 'alphanumeric (3 to 11) or a phone number' }),
  subaccount: Type.Optional(
    Type.String({
      maxLength: 40,
      description: "for this subaccount (its Auth ID); absent: the main account's own",
    }),
  ),
});
export type SenderIdWhitelisting = Static<typeof SenderIdWhitelisting>;

export const OwnedSenderIdParams = Type.Object({ senderIdId: Type.String({ format: 'uuid' }) });
