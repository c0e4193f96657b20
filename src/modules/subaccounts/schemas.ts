import { type Static, Type } from '@sinclair/typebox';
import { Nullable } from '../../http/common-schemas.js';
import { AccountParams } from '../../http/plivo-schemas.js';

const AuthId = Type.String({ maxLength: 40 });
const Name = Type.String({ maxLength: 100 });

export const SubaccountParams = Type.Composite([AccountParams, Type.Object({ subauthId: AuthId })]);

/** true or false; the strings "true"/"false" are accepted (the validator coerces them). */
const Flag = Type.Boolean({ description: 'true or false (the strings "true"/"false" are accepted)' });
export const SubaccountCreate = Type.Object({ name: Name, enabled: Type.Optional(Flag) });
export const SubaccountUpdate = Type.Object({ name: Name, enabled: Type.Optional(Flag) });
export const SubaccountDelete = Type.Object({ cascade: Type.Optional(Flag) });

/** A subaccount, in Plivo's fields. */
export const Subaccount = Type.Object({
  account: Type.String({ description: 'the main account’s URI' }),
  auth_id: Type.String(),
  auth_token: Nullable(Type.String()),
  created: Type.String({ description: 'YYYY-MM-DD' }),
  enabled: Type.Boolean(),
  modified: Nullable(Type.String({ description: 'YYYY-MM-DD' })),
  name: Type.String(),
  new_auth_token: Nullable(Type.String()),
  resource_uri: Type.String(),
});
export type Subaccount = Static<typeof Subaccount>;

export const SubaccountCreated = Type.Object({
  api_id: Type.String(),
  auth_id: Type.String(),
  auth_token: Type.String(),
  message: Type.String(),
});

export const ConsoleSubaccountParams = Type.Object({ authId: AuthId });
export const ConsoleSenderIdParams = Type.Object({
  authId: AuthId,
  senderIdId: Type.String({ format: 'uuid' }),
});

/** A subaccount as the Subaccounts page lists it, with its own Auth ID and newest Auth Token. */
export const ConsoleSubaccount = Type.Object({
  id: Type.String(),
  authId: Type.String(),
  authToken: Nullable(Type.String()),
  name: Type.String(),
  enabled: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
  modifiedAt: Nullable(Type.String({ format: 'date-time' })),
});
export type ConsoleSubaccount = Static<typeof ConsoleSubaccount>;

export const ConsoleSubaccounts = Type.Object({
  subaccounts: Type.Array(ConsoleSubaccount),
  total: Type.Integer(),
});
export type ConsoleSubaccounts = Static<typeof ConsoleSubaccounts>;

export const ConsoleSubaccountCreate = Type.Object({ name: Name, enabled: Type.Optional(Type.Boolean()) });
export type ConsoleSubaccountCreate = Static<typeof ConsoleSubaccountCreate>;
export const ConsoleSubaccountCreated = Type.Object({
  id: Type.String(),
  authId: Type.String(),
  authToken: Type.String(),
});
export type ConsoleSubaccountCreated = Static<typeof ConsoleSubaccountCreated>;

export const ConsoleSubaccountChange = Type.Object({
  name: Type.Optional(Name),
  enabled: Type.Optional(Type.Boolean()),
});
export type ConsoleSubaccountChange = Static<typeof ConsoleSubaccountChange>;

export const TokenGeneration = Type.Object({ keepOldTokens: Type.Boolean() });
export const TokenGenerated = Type.Object({ id: Type.String(), authToken: Type.String() });
export type TokenGenerated = Static<typeof TokenGenerated>;

export const SenderIdAdd = Type.Object({ senderId: Type.String({ maxLength: 32 }) });
export const SenderId = Type.Object({
  id: Type.String(),
  senderId: Type.String(),
  kind: Type.Union([Type.Literal('alphanumeric'), Type.Literal('number')]),
});
export type SenderId = Static<typeof SenderId>;
export const SenderIds = Type.Object({
  senderIds: Type.Array(
    Type.Composite([SenderId, Type.Object({ createdAt: Type.String({ format: 'date-time' }) })]),
  ),
});
export type SenderIds = Static<typeof SenderIds>;
