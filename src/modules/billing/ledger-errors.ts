/** The error codes of the balance, the transactions and staff credit: the one place they are spelled. */
export const LedgerErrors = {
  invalidKind: 'invalid_kind',
  invalidDate: 'invalid_date',
  invalidDateRange: 'invalid_date_range',
  invalidSubaccount: 'invalid_subaccount',
  invalidAmount: 'invalid_amount',
  reasonRequired: 'reason_required',
  invalidIdempotencyKey: 'invalid_idempotency_key',
  accountNotFound: 'account_not_found',
} as const;
