import { DomainError, NotFound, ValidationFailed } from '../../lib/errors.js';

/** Credit control's codes: a refused session's `error`, the door's errors, the 402 of billable requests. */
export const CreditErrors = {
  /** 402: the account's free credit (balance − owed − held) does not cover it. */
  outOfCredit: 'out_of_credit',
  /** 402: the subaccount has spent its daily or monthly cap. */
  spendCapReached: 'spend_cap_reached',
  /** 403: the account (or subaccount) has as many sessions open as its limit allows. */
  tooManySessions: 'too_many_sessions',
  /** 403: the destination is priced above the account's highest destination rate. */
  destinationRateAboveLimit: 'destination_rate_above_limit',
  /** 403: the account is suspended, closed or not yet active, or the subaccount is disabled. */
  accountNotActive: 'account_not_active',
  invalidSession: 'invalid_session',
  unknownAccount: 'unknown_account',
  sessionNotFound: 'session_not_found',
  invalidLimit: 'invalid_limit',
  notASubaccount: 'subaccount_not_found',
  accountNotFound: 'account_not_found',
} as const;

export type SessionRefusalCode =
  | typeof CreditErrors.outOfCredit
  | typeof CreditErrors.spendCapReached
  | typeof CreditErrors.tooManySessions
  | typeof CreditErrors.destinationRateAboveLimit
  | typeof CreditErrors.accountNotActive;

/** A billable request refused for want of credit: 402, with what to do about it. */
export const PaymentRequired = (code: string, message: string) => new DomainError(402, code, message);

export const CreditRefusals = {
  sessionNotFound: (sessionId: string) =>
    NotFound(CreditErrors.sessionNotFound, `This engine opened no session "${sessionId}": open it first.`),
  invalidSession: (message: string, field: string) =>
    ValidationFailed(CreditErrors.invalidSession, message, [{ field, message }]),
  invalidLimit: (field: string, message: string) =>
    ValidationFailed(CreditErrors.invalidLimit, `${field} ${message}.`, [{ field, message }]),
  notASubaccount: (authId: string) =>
    NotFound(CreditErrors.notASubaccount, `${authId} is not a subaccount of this account.`),
  accountNotFound: () => NotFound(CreditErrors.accountNotFound, 'No main account has this id.'),
};
