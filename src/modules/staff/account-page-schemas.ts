import { type Static, Type } from '@sinclair/typebox';
import { Nullable } from '../../http/common-schemas.js';
import { Timestamp, type Wire } from '../../http/console-schemas.js';
import { SuspensionHistory } from '../accounts/suspension-schemas.js';
import { Balance, Transaction } from '../billing/transactions-schemas.js';
import { AccountView } from '../identity/schemas.js';
import { StaffTicketSummary } from '../support/schemas.js';

/** Schemas of the staff console's account page (GET /api/staff/accounts/{accountId}). */

const MaybeTime = Type.Union([Timestamp(), Type.Null()]);
const Micros = Type.String({ pattern: '^-?[0-9]+$', description: 'micro-units (1 unit = 1,000,000)' });

/** Who did something: a staff member, a member of the account, or Switchboard itself. */
const Actor = Type.Object({
  kind: Type.Union([Type.Literal('staff'), Type.Literal('member'), Type.Literal('system')]),
  name: Nullable(Type.String()),
  email: Nullable(Type.String()),
});

/** The account as the console shows it (AccountView), with what staff see besides. */
const PageAccount = Type.Composite([
  AccountView,
  Type.Object({
    timezone: Type.String(),
    signupIp: Nullable(Type.String()),
    activatedAt: MaybeTime,
    lastActiveAt: Type.Union([Timestamp(), Type.Null()], { description: 'the last sign-in or API use' }),
    inactivity: Type.Object(
      { warnedAt: MaybeTime, flaggedAt: MaybeTime },
      { description: 'the inactive account policy: warned, then stored payment methods removed and flagged' },
    ),
  }),
]);

export const StaffAccountPageView = Type.Object({
  latest: Type.Object(
    {
      statusChanges: Type.Integer(),
      ledgerEntries: Type.Integer(),
      numbers: Type.Integer(),
      tickets: Type.Integer(),
      auditEvents: Type.Integer(),
    },
    { description: 'how many of each list the page holds at most: the latest N' },
  ),
  account: PageAccount,
  statusHistory: Type.Array(
    Type.Object({
      at: Timestamp(),
      action: Type.String(),
      from: Nullable(Type.String()),
      to: Nullable(Type.String()),
      reason: Type.String(),
      by: Actor,
    }),
    { description: 'status changes, newest first, from the audit trail' },
  ),
  suspensions: SuspensionHistory.properties.suspensions,
  members: Type.Array(
    Type.Object({
      userId: Type.String(),
      name: Type.String(),
      email: Type.String(),
      role: Type.String(),
      joinedAt: Timestamp(),
      twoFactor: Type.Object({ phone: Type.Boolean(), authenticatorApp: Type.Boolean() }),
      lastSignInAt: MaybeTime,
    }),
  ),
  balance: Balance,
  ledger: Type.Object({
    entries: Type.Array(Transaction, { description: 'the latest ledger entries, newest first' }),
    total: Type.Integer({ description: 'how many entries the ledger holds' }),
  }),
  usage: Type.Object({
    from: Type.String(),
    to: Type.String(),
    timezone: Type.String(),
    currency: Type.String(),
    days: Type.Array(Type.Object({ day: Type.String(), events: Type.String(), amount: Type.String() })),
    products: Type.Array(
      Type.Object({
        product: Type.String(),
        events: Type.String(),
        quantity: Type.String(),
        unit: Type.String(),
        amount: Type.String(),
      }),
    ),
    total: Type.Object({ events: Type.String(), amount: Type.String() }),
  }),
  numbers: Type.Object({
    total: Type.Integer(),
    numbers: Type.Array(
      Type.Object({
        number: Type.String(),
        countryIso: Type.String(),
        type: Type.String(),
        region: Type.String(),
        subaccount: Nullable(Type.String({ description: 'the subaccount’s Auth ID' })),
        alias: Nullable(Type.String()),
        monthlyRentalMicros: Micros,
        addedOn: Nullable(Type.String()),
        renewalDate: Nullable(Type.String()),
      }),
    ),
  }),
  tickets: Type.Array(Type.Omit(StaffTicketSummary, ['account', 'assignee'])),
  audit: Type.Array(
    Type.Object({
      id: Type.String(),
      at: Timestamp(),
      action: Type.String(),
      by: Actor,
      ip: Nullable(Type.String()),
      details: Type.Record(Type.String(), Type.Unknown()),
    }),
    { description: 'the latest audit events, newest first' },
  ),
  engineSessions: Type.Object({
    open: Type.Integer({ description: 'engine sessions open now' }),
    heldMicros: Micros,
    currency: Type.String(),
  }),
});
export type StaffAccountPageView = Wire<Static<typeof StaffAccountPageView>>;
