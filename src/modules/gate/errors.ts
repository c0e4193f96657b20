/** The error codes of the /v1 gate: the one place they are spelled, for the gate and its tests. */
export const GateErrors = {
  authenticationRequired: 'authentication_required',
  authenticationFailed: 'authentication_failed',
  accountSuspended: 'account_suspended',
  accountClosed: 'account_closed',
  accountRejected: 'account_rejected',
  subaccountDisabled: 'subaccount_disabled',
  ipNotWhitelisted: 'ip_not_whitelisted',
  accountNotFound: 'account_not_found',
  apiKeyExpired: 'api_key_expired',
  apiKeySourceRefused: 'api_key_source_refused',
  apiKeyNotPermitted: 'api_key_not_permitted',
} as const;
