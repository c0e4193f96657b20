import { type Static, Type } from '@sinclair/typebox';

/** Update Account (/v1): the details a customer may change. */
export const AccountUpdate = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  city: Type.Optional(Type.String({ maxLength: 100 })),
  address: Type.Optional(Type.String({ maxLength: 300 })),
  state: Type.Optional(Type.String({ maxLength: 100 })),
  timezone: Type.Optional(Type.String({ maxLength: 64 })),
});

/** The account, in Plivo's fields and formats. */
export const Account = Type.Object({
  account_type: Type.String(),
  address: Type.String(),
  auth_id: Type.String(),
  auto_recharge: Type.Boolean(),
  billing_mode: Type.String(),
  cash_credits: Type.String({ description: 'Balance, 5 decimals' }),
  city: Type.String(),
  name: Type.String(),
  resource_uri: Type.String(),
  state: Type.String(),
  timezone: Type.String(),
});
export type Account = Static<typeof Account>;
