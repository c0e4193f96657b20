import {
  Conflict,
  DomainError,
  Forbidden,
  NotFound,
  Unauthorized,
  ValidationFailed,
} from '../../lib/errors.js';

/**
 * The refusals of single sign-on: configuring an identity provider, the account's gate, and a
 * sign-in through the provider (its answers are refused with 401, a broken attempt with 400).
 */
export const SsoErrors = {
  connectionNotFound: () =>
    NotFound('sso_connection_not_found', 'No identity provider with this id is configured.'),
  /** Single sign-on is not turned on for the account (staff turn it on). */
  notEnabled: (message: string) => Forbidden('sso_not_enabled', message),
  /** The account requires SSO: a password sign-in or a switch into it is refused. */
  required: (message: string) => Forbidden('sso_required', message),
  requireNeedsProvider: () =>
    ValidationFailed(
      'sso_not_configured',
      'Set up and test an identity provider before requiring single sign-on.',
    ),
  notConfigured: () =>
    NotFound(
      'sso_not_configured',
      'This account has no identity provider set up yet. Sign in with your password.',
    ),
  verifiedDomainRequired: () =>
    ValidationFailed(
      'verified_domain_required',
      'Just-in-time membership needs the Owner’s verified work email domain.',
    ),
  oidcConfigIncomplete: (missing: string[]) =>
    ValidationFailed(
      'oidc_config_incomplete',
      `An OpenID Connect provider needs its ${missing.join(', ')}.`,
      missing.map((field) => ({ field, message: 'is required for OpenID Connect' })),
    ),
  oidcIssuerInvalid: (message: string) =>
    ValidationFailed('oidc_issuer_invalid', message, [{ field: 'issuer', message }]),
  samlConfigInvalid: (message: string, field: string) =>
    ValidationFailed('saml_config_invalid', message, [{ field, message }]),
  emailOrAuthIdRequired: () =>
    ValidationFailed('invalid_request', 'Enter your work email or your account’s Auth ID.', [
      { field: 'email', message: 'Enter your work email or your account’s Auth ID.' },
    ]),
  notFound: (by: 'authId' | 'email') =>
    NotFound(
      'sso_not_found',
      by === 'authId'
        ? 'No account has this Auth ID. Check it, or sign in with your password.'
        : 'Single sign-on is not set up for this email. Sign in with your password, or enter your account’s Auth ID.',
    ),
  stateInvalid: () =>
    new DomainError(
      400,
      'sso_state_invalid',
      'This answer does not belong to a sign-in started here. Start again from the Switchboard sign-in page.',
    ),
  browserMismatch: () =>
    new DomainError(
      400,
      'sso_browser_mismatch',
      'This sign-in was started in another browser (or its cookie expired). Start again from the sign-in page.',
    ),
  responseReplayed: () =>
    new DomainError(
      400,
      'sso_response_replayed',
      'This sign-in answer was already used. Start again from the sign-in page.',
    ),
  attemptExpired: () =>
    new DomainError(
      400,
      'sso_attempt_expired',
      'This sign-in took too long. Start again from the sign-in page.',
    ),
  testWrongPerson: (signedIn: string, tester: string) =>
    new DomainError(
      400,
      'sso_test_wrong_person',
      `The identity provider signed in ${signedIn}, but the test was started by ${tester}. Sign in at the identity provider as yourself.`,
    ),
  roleNotPermitted: () =>
    Forbidden('role_not_permitted', 'Only an Owner or Admin of the account can activate single sign-on.'),
  connectionReplaced: (message: string) => Conflict('sso_connection_replaced', message),
  notAMember: (email: string, accountName: string) =>
    Forbidden(
      'sso_not_a_member',
      `${email} is not a member of ${accountName}. Ask an Owner or Admin of the account to invite you.`,
    ),
  invitationWithdrawn: () => Conflict('invitation_closed', 'This invitation was withdrawn meanwhile.'),
  refusedByProvider: (why: string) =>
    Unauthorized('sso_refused_by_provider', `The identity provider did not sign you in (${why}).`),
  responseInvalid: (message: string) => Unauthorized('sso_response_invalid', message),
  emailMissing: (message: string) => Unauthorized('sso_email_missing', message),
  emailUnverified: (email: string) =>
    Unauthorized(
      'sso_email_unverified',
      `The identity provider says ${email} is not verified, so it cannot be used to sign in.`,
    ),
} as const;
