import { type Static, Type } from '@sinclair/typebox';
import { Timestamp, type Wire } from '../../http/console-schemas.js';
import { Role } from '../team/schemas.js';

const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);

/** "Secure my account": the caller says whether the subaccounts' tokens are replaced too. */
export const SecureAccountInput = Type.Object({
  includeSubaccounts: Type.Boolean({ description: "also replace every subaccount's Auth Token" }),
});
export type SecureAccountInput = Static<typeof SecureAccountInput>;

/** What to review after securing the account (the FAQ's steps), and where to get help. */
export const AccountReview = Type.Object({
  signIns: Type.Array(
    Type.Object({
      at: Timestamp(),
      email: Nullable(Type.String()),
      place: Nullable(Type.String({ description: 'the address signed in from' })),
      device: Type.String({ description: 'browser and operating system' }),
    }),
    { description: 'sign-ins of the last 30 days, newest first' },
  ),
  receipts: Type.Array(
    Type.Object({
      id: Type.String({ format: 'uuid' }),
      number: Type.Integer(),
      at: Timestamp(),
      amount: Type.String({ description: 'e.g. "25.00000"' }),
      currency: Type.String(),
      card: Nullable(Type.String()),
      reversed: Type.Boolean(),
    }),
    {
      description: 'payments received in the last 30 days (receipt: /api/billing/payments/{id}/receipt.pdf)',
    },
  ),
  usage: Type.Object({
    from: Type.String(),
    to: Type.String(),
    currency: Type.String(),
    days: Type.Array(Type.Object({ day: Type.String(), events: Type.Integer(), amount: Type.String() })),
  }),
  teamChanges: Type.Array(
    Type.Object({
      at: Timestamp(),
      action: Type.String(),
      byEmail: Nullable(Type.String()),
      summary: Type.String(),
    }),
    { description: 'team changes of the last 30 days, newest first' },
  ),
  members: Type.Array(
    Type.Object({
      userId: Type.String({ format: 'uuid' }),
      name: Type.String(),
      email: Type.String(),
      role: Role,
    }),
    { description: 'remove anyone unknown with DELETE /api/team/members/{userId}' },
  ),
  supportUrl: Type.String(),
});
export type AccountReview = Wire<Static<typeof AccountReview>>;

export const AccountSecured = Type.Object({
  authToken: Type.String({ description: 'the new Auth Token, shown once' }),
  subaccountsRevoked: Type.Integer(),
  membersSignedOut: Type.Integer(),
  securedAt: Timestamp(),
  review: AccountReview,
});
export type AccountSecured = Wire<Static<typeof AccountSecured>>;

/** The inactive account policy and where the account stands. */
export const InactivityStatus = Type.Object({
  warnDays: Type.Integer(),
  removeDays: Type.Integer(),
  lastActiveAt: Type.Union([Timestamp(), Type.Null()]),
  warnedAt: Type.Union([Timestamp(), Type.Null()]),
  paymentMethodsRemovedAt: Type.Union([Timestamp(), Type.Null()]),
});
export type InactivityStatus = Wire<Static<typeof InactivityStatus>>;
