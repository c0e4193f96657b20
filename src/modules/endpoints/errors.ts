import { PasswordPolicyErrors } from '../identity/password-policy.js';

/** The error codes of SIP endpoints: the one place they are spelled, for the service and its tests. */
export const EndpointErrors = {
  notFound: 'endpoint_not_found',
  invalidUsername: 'invalid_username',
  invalidAlias: 'invalid_alias',
  weakPassword: PasswordPolicyErrors.weakPassword,
} as const;
