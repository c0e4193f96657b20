import { type Static, Type } from '@sinclair/typebox';
import { Nullable } from '../../http/common-schemas.js';
import { Timestamp, type Wire } from '../../http/console-schemas.js';

/**
 * Schemas of the balance, Billing > Transactions and staff credit. Like every schemas.ts this file
 * imports only TypeBox: the console imports its types. Money crosses the wire as micro-units in a
 * string (JSON has no 64-bit integers) with its currency; the console renders it with displayMoney.
 */

export const LedgerKind = Type.Union([
  Type.Literal('trial_credit'),
  Type.Literal('recharge'),
  Type.Literal('charge'),
  Type.Literal('rental'),
  Type.Literal('refund'),
  Type.Literal('adjustment'),
  Type.Literal('reversal'),
]);

export const Balance = Type.Object({
  balanceMicros: Type.String({ pattern: '^-?[0-9]+$', description: 'micro-units (1 unit = 1,000,000)' }),
  currency: Type.String({ description: 'ISO 4217' }),
});
export type Balance = Static<typeof Balance>;

export const TransactionsQuery = Type.Object({
  kind: Type.Optional(Type.String({ description: 'one of the entry kinds, e.g. rental' })),
  from: Type.Optional(Type.String({ description: 'first day (YYYY-MM-DD) in the account’s time zone' })),
  to: Type.Optional(Type.String({ description: 'last day (YYYY-MM-DD), included' })),
  subaccount: Type.Optional(Type.String({ description: 'a subaccount’s Auth ID' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
});

export const TransactionsCsvQuery = Type.Omit(TransactionsQuery, ['limit', 'offset']);

export const Transaction = Type.Object({
  id: Type.String(),
  createdAt: Timestamp(),
  kind: LedgerKind,
  amountMicros: Type.String({ pattern: '^-?[0-9]+$', description: 'signed: credits positive' }),
  currency: Type.String(),
  subaccount: Nullable(Type.String({ description: 'the subaccount’s Auth ID' })),
  description: Nullable(Type.String()),
  reference: Nullable(Type.String()),
  by: Type.String({ description: 'staff, member, engine, system or cli' }),
});
export type Transaction = Wire<Static<typeof Transaction>>;

export const Transactions = Type.Object({
  transactions: Type.Array(Transaction),
  total: Type.Integer(),
  balance: Balance,
});
export type Transactions = Wire<Static<typeof Transactions>>;

export const CsvText = Type.String({ description: 'CSV (text/csv), streamed' });

export const StaffAccountParams = Type.Object({ accountId: Type.String({ format: 'uuid' }) });

export const StaffCredit = Type.Object({
  amount: Type.String({
    description: 'units, signed: "25.00" credits, "-5" debits (at most 6 decimals)',
    maxLength: 20,
  }),
  reason: Type.String({ maxLength: 500 }),
  idempotency_key: Type.String({
    description: 'one per form: a submit repeated with the same key credits once',
    maxLength: 100,
  }),
});
export type StaffCredit = Static<typeof StaffCredit>;

export const StaffCredited = Type.Object({
  posted: Type.Boolean({ description: 'false: this key had credited already; nothing changed' }),
  transaction: Transaction,
  balance: Balance,
});
export type StaffCredited = Wire<Static<typeof StaffCredited>>;
