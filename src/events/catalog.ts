import { type Static, Type } from '@sinclair/typebox';

const AccountStatus = Type.Union([
  Type.Literal('pending_verification'),
  Type.Literal('under_review'),
  Type.Literal('active'),
  Type.Literal('rejected'),
  Type.Literal('suspended'),
  Type.Literal('closed'),
]);

/**
 * Every domain event Switchboard publishes, with the schema of its payload. Payloads carry ids and
 * small facts, never rows: an after-commit handler runs later, in a job, and reads what it needs.
 */
export const eventCatalog = {
  /** The account's status moved through the lifecycle (src/modules/accounts/lifecycle.ts). */
  'account.status_changed': Type.Object({
    accountId: Type.String(),
    from: AccountStatus,
    to: AccountStatus,
    by: Type.Union([Type.Literal('system'), Type.Literal('staff'), Type.Literal('owner')]),
    reason: Type.String(),
  }),
  /**
   * Something the API gate keeps about the account changed and has no event of its own: its
   * details, enabled switch or deletion (subaccounts), IP whitelist, rate limits.
   */
  'account.changed': Type.Object({
    accountId: Type.String(),
    what: Type.Union([
      Type.Literal('details'),
      Type.Literal('enabled'),
      Type.Literal('deleted'),
      Type.Literal('ip_whitelist'),
      Type.Literal('rate_limits'),
    ]),
  }),
  /** The ledger credited the account (a recharge, an adjustment, a refund, trial credit): what it owes may now be settled. */
  'ledger.credited': Type.Object({
    accountId: Type.String(),
    /** The posting's net credit, in micro-units (a string: JSON has no 64-bit integers). */
    amountMicros: Type.String(),
    currency: Type.String(),
  }),
  /**
   * A posting moved balances: one event per posting, listing every main account it moved, so a
   * handler (balance alerts, auto-recharge) reads and writes once per posting, never once per account.
   * Published inside the posting's transaction, after the balances were updated.
   */
  'ledger.balances_changed': Type.Object({
    changes: Type.Array(
      Type.Object({
        accountId: Type.String(),
        /** Balances in micro-units before and after the posting (strings: JSON has no 64-bit integers). */
        beforeMicros: Type.String(),
        afterMicros: Type.String(),
        currency: Type.String(),
      }),
    ),
  }),
  /**
   * Auto-recharge failed the operator's number of times in a row (AUTO_RECHARGE_MAX_FAILURES): the
   * account's payment has failed (the lifecycle may suspend it with reason "Payment failure").
   */
  'billing.payment_failed': Type.Object({
    accountId: Type.String(),
    consecutiveFailures: Type.Integer(),
    reason: Type.String(),
  }),
  /** Auth Tokens of the account were revoked: requests carrying them must be refused from now on. */
  'credential.revoked': Type.Object({
    accountId: Type.String(),
    tokenIds: Type.Array(Type.String()),
  }),
  /** A restricted API key was revoked: every instance's gate forgets the account it belongs to. */
  'api_key.revoked': Type.Object({
    accountId: Type.String(),
    keyId: Type.String(),
  }),
  /**
   * A subaccount is being deleted. Modules holding its resources name what they hold in `held`
   * (`refuse`: the console, which then refuses naming everything at once), delete or release them
   * (`cascade`), or give them to the main account (`move_to_main`), inside the deleting transaction.
   */
  'subaccount.deleting': Type.Object({
    mainAccountId: Type.String(),
    subaccountId: Type.String(),
    subaccountName: Type.String(),
    policy: Type.Union([Type.Literal('refuse'), Type.Literal('cascade'), Type.Literal('move_to_main')]),
    held: Type.Array(Type.String(), {
      description: 'refuse: what each holder still holds, e.g. "number 14155550100"',
    }),
  }),
};

export type EventName = keyof typeof eventCatalog;
export type EventPayload<N extends EventName> = Static<(typeof eventCatalog)[N]>;
