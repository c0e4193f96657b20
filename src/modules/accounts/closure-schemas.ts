import { type Static, Type } from '@sinclair/typebox';
import { Timestamp, type Wire } from '../../http/console-schemas.js';
import { FactorMethod } from '../identity/schemas.js';

const Refund = Type.Object({
  amount: Type.String({ description: 'what will be refunded, e.g. "$20.00"' }),
  nothing: Type.Boolean({ description: 'true when nothing is refunded' }),
  recentRecharges: Type.String({ description: 'what the recharges of the last 90 days brought in' }),
  kept: Type.String({ description: 'what is not refunded: trial credit, staff credits, older recharges' }),
  currency: Type.String(),
  dueOn: Type.String({ format: 'date', description: 'the refund reaches the card by this day' }),
});

export const ClosurePreview = Type.Object({
  name: Type.String(),
  authId: Type.String(),
  status: Type.String(),
  applications: Type.Integer(),
  numbers: Type.Integer(),
  endpoints: Type.Integer(),
  subaccounts: Type.Integer(),
  members: Type.Integer(),
  refund: Refund,
  blockers: Type.Array(Type.String(), { description: 'what must be settled before closing' }),
});
export type ClosurePreview = Wire<Static<typeof ClosurePreview>>;

/** The Owner confirms with the password and a second factor. */
export const CloseAccount = Type.Object(
  {
    password: Type.String({ minLength: 1, maxLength: 256 }),
    method: FactorMethod,
    code: Type.String({ minLength: 1, maxLength: 20 }),
  },
  { additionalProperties: false },
);
export type CloseAccount = Static<typeof CloseAccount>;

export const StaffCloseAccount = Type.Object(
  {
    note: Type.String({
      maxLength: 4000,
      description: 'why the account is closed (kept in the audit trail)',
    }),
  },
  { additionalProperties: false },
);

const Removed = Type.Record(Type.String(), Type.Integer(), {
  description: 'how many of each were deleted or ended: endpoints, applications, numbers, …',
});

export const AccountClosed = Type.Object({
  closedAt: Timestamp(),
  removed: Removed,
  refund: Refund,
});
export type AccountClosed = Wire<Static<typeof AccountClosed>>;
