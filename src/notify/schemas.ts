import { type Static, Type } from '@sinclair/typebox';
import { Timestamp, type Wire } from '../http/console-schemas.js';

export const DevOutboxQuery = Type.Object({
  to: Type.Optional(Type.String({ maxLength: 254, description: 'only the messages to this address' })),
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
});

/** A message Switchboard sent (or is sending), as the development outbox shows it. */
export const OutboxMessage = Type.Object({
  id: Type.String(),
  channel: Type.Union([Type.Literal('email'), Type.Literal('sms'), Type.Literal('voice')]),
  to: Type.String(),
  subject: Type.String(),
  text: Type.String(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('sent'), Type.Literal('failed')]),
  createdAt: Timestamp(),
  sentAt: Type.Union([Timestamp(), Type.Null()]),
});
export type OutboxMessage = Wire<Static<typeof OutboxMessage>>;

export const DevOutbox = Type.Object({ messages: Type.Array(OutboxMessage) });
export type DevOutbox = Wire<Static<typeof DevOutbox>>;
