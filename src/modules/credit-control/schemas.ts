import { type Static, Type } from '@sinclair/typebox';
import type { Wire } from '../../http/console-schemas.js';

const Amount = (description: string) =>
  Type.Union([Type.String({ description: `${description}, 5 decimals` }), Type.Null()]);

/** GET /api/credit: whether the account may start anything billable, for the console's banner. */
export const CreditStateView = Type.Object({
  outOfCredit: Type.Boolean(),
  reason: Type.Union([Type.Literal('out_of_credit'), Type.Literal('spend_cap_reached'), Type.Null()]),
});
export type CreditStateView = Wire<Static<typeof CreditStateView>>;

export const LimitsOverviewView = Type.Object({
  currency: Type.String(),
  account: Type.Object({
    openSessions: Type.Integer({ description: 'calls and messages in progress' }),
    maxSessions: Type.Integer(),
    maxDestinationRate: Amount('the highest destination rate (per minute or segment); null for none'),
  }),
  subaccounts: Type.Array(
    Type.Object({
      authId: Type.String(),
      name: Type.String(),
      openSessions: Type.Integer(),
      maxSessions: Type.Integer(),
      maxDestinationRate: Amount('null for none of its own'),
      dailySpendCap: Amount('null for none'),
      monthlySpendCap: Amount('null for none'),
      spentToday: Type.String({ description: "today's spend in the account's time zone, 5 decimals" }),
      spentThisMonth: Type.String(),
    }),
  ),
});
export type LimitsOverviewView = Wire<Static<typeof LimitsOverviewView>>;

const LimitFields = {
  maxSessions: Type.Union([Type.Integer(), Type.Null()], {
    description: 'calls and messages in progress at once; null for the default',
  }),
  maxDestinationRate: Type.Union([Type.String({ maxLength: 30 }), Type.Null()], {
    description: 'the highest rate a destination may cost, e.g. "0.05"; null for none',
  }),
};

/** PUT /api/subaccounts/{authId}/limits */
export const SubaccountLimitsBody = Type.Object(
  {
    ...LimitFields,
    dailySpendCap: Type.Union([Type.String({ maxLength: 30 }), Type.Null()], {
      description: 'what it may spend per day, e.g. "25.00"; null for no cap',
    }),
    monthlySpendCap: Type.Union([Type.String({ maxLength: 30 }), Type.Null()], {
      description: 'what it may spend per month; null for no cap',
    }),
  },
  { additionalProperties: false },
);

/** PUT /api/staff/accounts/{accountId}/credit-limits */
export const AccountLimitsBody = Type.Object(LimitFields, { additionalProperties: false });

export const SubaccountParams = Type.Object({ authId: Type.String({ maxLength: 40 }) });
export const StaffAccountParams = Type.Object({ accountId: Type.String({ format: 'uuid' }) });
