import { type Static, Type } from '@sinclair/typebox';
import { Nullable } from '../../http/common-schemas.js';
import { ListQuery } from '../../http/plivo-schemas.js';

/**
 * The Usage Summary's request and answer schemas: the console page, its CSV export, the daily email
 * setting, and the /v1 usage API. Imports only TypeBox: the console imports the types.
 */

const Day = (description: string) => Type.String({ maxLength: 10, description });
const Money = Type.String({ description: 'an amount with 5 decimals, such as "4.88860"' });
const Count = Type.String({
  pattern: '^[0-9]+$',
  description: 'a whole number (as a string: it may exceed 2^53)',
});

const filterFields = {
  from: Type.Optional(
    Day('first day, YYYY-MM-DD, in the account’s time zone; default: the first day of to’s month'),
  ),
  to: Type.Optional(Day('last day (included), YYYY-MM-DD; default: today in the account’s time zone')),
  product: Type.Optional(Type.String({ maxLength: 20, description: 'voice, sms, mms or numbers' })),
  subaccount: Type.Optional(
    Type.String({
      maxLength: 40,
      description: "a subaccount's Auth ID: its usage only; the main Auth ID: the main account's own only",
    }),
  ),
};

/** GET /api/billing/usage and /api/billing/usage.csv. */
export const UsageQuery = Type.Object(filterFields);
export type UsageQuery = Static<typeof UsageQuery>;

/** GET /v1/Account/{auth_id}/Usage/: the same filters and Plivo's limit and offset. */
export const UsageApiQuery = Type.Composite([ListQuery, Type.Object(filterFields)]);

const SubaccountRef = Type.Object({ authId: Type.String(), name: Type.String() });

/** One day of the chart: every product of the filter together. */
export const UsageDay = Type.Object({ day: Type.String(), events: Count, amount: Money });

/** One line of the table: a product of the main account or of one subaccount. */
export const UsageLine = Type.Object({
  product: Type.String({ description: 'voice, sms, mms or numbers' }),
  subaccount: Nullable(SubaccountRef),
  events: Count,
  quantity: Count,
  unit: Type.String({ description: 'seconds (voice), segments (sms, mms) or number-months (numbers)' }),
  amount: Money,
});

/** What Billing > Usage Summary shows for a filter. */
export const UsageSummary = Type.Object({
  from: Type.String(),
  to: Type.String(),
  timezone: Type.String({ description: 'the account’s time zone, which days are counted in' }),
  currency: Type.String(),
  days: Type.Array(UsageDay),
  lines: Type.Array(UsageLine),
  total: Type.Object({ events: Count, amount: Money }),
  subaccounts: Type.Array(SubaccountRef, { description: 'the account’s subaccounts, for the filter' }),
});
export type UsageSummary = Static<typeof UsageSummary>;

/** The export: one line per usage record (text/csv, streamed). */
export const UsageCsv = Type.String({ description: 'text/csv: one line per usage record of the filter' });

/** The member's own daily usage summary email setting. */
export const UsageEmailSetting = Type.Object({ enabled: Type.Boolean() });
export type UsageEmailSetting = Static<typeof UsageEmailSetting>;

/** One object of the /v1 usage API: the total of one product for the main account or one subaccount. */
export const UsageTotal = Type.Object({
  product: Type.String({ description: 'voice, sms, mms or numbers' }),
  subaccount: Nullable(Type.String({ description: 'the SA Auth ID; null for the main account’s own usage' })),
  from: Type.String(),
  to: Type.String(),
  events: Type.Integer(),
  quantity: Type.Integer(),
  unit: Type.String({ description: 'seconds, segments or number-months' }),
  amount: Money,
  currency: Type.String(),
});
export type UsageTotal = Static<typeof UsageTotal>;
