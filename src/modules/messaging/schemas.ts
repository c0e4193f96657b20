import { type Static, Type } from '@sinclair/typebox';
import { Nullable } from '../../http/common-schemas.js';
import { AccountParams, ListQuery } from '../../http/plivo-schemas.js';

const Money = Type.String({ description: 'an amount with 5 decimals, such as "0.00650"' });
const PlivoTime = Type.String({ description: 'UTC, as Plivo writes it: "2026-12-06 21:33:27+00:00"' });

/** Send a message (POST /v1/…/Message/): Plivo's parameters; booleans and numbers as JSON or strings. */
export const SendBody = Type.Object({
  src: Type.Optional(
    Type.String({ maxLength: 20, description: 'a number you rent (with SMS) or a whitelisted sender ID' }),
  ),
  dst: Type.Optional(
    Type.String({ maxLength: 20_000, description: 'the destination number; several joined with <' }),
  ),
  text: Type.Optional(Type.String({ maxLength: 6400, description: 'at most 1,600 characters' })),
  type: Type.Optional(Type.String({ maxLength: 20, description: 'sms (mms is not supported yet)' })),
  url: Type.Optional(Type.String({ maxLength: 2000, description: 'where status callbacks go' })),
  method: Type.Optional(Type.String({ maxLength: 10, description: 'GET or POST (default) for callbacks' })),
  log: Type.Optional(
    Type.Union([Type.Boolean(), Type.String({ maxLength: 20 })], {
      description: 'false: the text is not kept once the message is final',
    }),
  ),
  message_expiry: Type.Optional(
    Type.Union([Type.Integer(), Type.String({ maxLength: 10 })], {
      description: 'seconds a message may wait in the queue (5 to 259200; default 10800)',
    }),
  ),
  send_at: Type.Optional(
    Type.String({
      maxLength: 40,
      description: 'Switchboard extension: an ISO 8601 time to send the message at (scheduled)',
    }),
  ),
  powerpack_uuid: Type.Optional(Type.String({ maxLength: 64, description: 'not supported' })),
});
export type SendBody = Static<typeof SendBody>;

export const Queued = Type.Object({
  api_id: Type.String(),
  message: Type.String(),
  message_uuid: Type.Array(Type.String()),
  invalid_number: Type.Optional(Type.Array(Type.String())),
});

export const MessageParams = Type.Composite([
  AccountParams,
  Type.Object({ uuid: Type.String({ maxLength: 64 }) }),
]);

const TimeFilter = Type.String({ maxLength: 40, description: 'YYYY-MM-DD HH:MM[:ss[.uuuuuu]] (UTC)' });
export const MessageListQuery = Type.Composite([
  ListQuery,
  Type.Object({
    subaccount: Type.Optional(Type.String({ maxLength: 40 })),
    message_direction: Type.Optional(Type.String({ maxLength: 20, description: 'inbound or outbound' })),
    message_state: Type.Optional(
      Type.String({
        maxLength: 20,
        description:
          'queued, sent, delivered, undelivered, failed, received; scheduled or canceled (Switchboard)',
      }),
    ),
    message_type: Type.Optional(Type.String({ maxLength: 20 })),
    error_code: Type.Optional(Type.String({ maxLength: 10 })),
    from_number: Type.Optional(Type.String({ maxLength: 20 })),
    to_number: Type.Optional(Type.String({ maxLength: 20 })),
    message_time: Type.Optional(TimeFilter),
    message_time__gt: Type.Optional(TimeFilter),
    message_time__gte: Type.Optional(TimeFilter),
    message_time__lt: Type.Optional(TimeFilter),
    message_time__lte: Type.Optional(TimeFilter),
  }),
]);
export type MessageListQuery = Static<typeof MessageListQuery>;

/** A message as Get Message and List Messages answer it. */
export const MessageObject = Type.Object({
  error_code: Nullable(Type.String()),
  error_message: Type.String(),
  from_number: Type.String(),
  message_direction: Type.String(),
  message_state: Type.String(),
  message_time: PlivoTime,
  message_sent_time: Nullable(PlivoTime),
  message_updated_time: PlivoTime,
  message_type: Type.String(),
  message_uuid: Type.String(),
  resource_uri: Type.String(),
  to_number: Type.String(),
  total_amount: Money,
  total_rate: Money,
  units: Type.Integer(),
  destination_country_iso2: Type.String(),
  requester_ip: Type.String(),
  is_domestic: Type.Boolean(),
  log: Type.Boolean(),
  subaccount: Nullable(Type.String()),
  send_at: Nullable(PlivoTime),
});
