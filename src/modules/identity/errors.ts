import { Conflict, Forbidden, Gone, NotFound, Unauthorized, ValidationFailed } from '../../lib/errors.js';

/**
 * The refusals of sign-up, sign-in, emailed links and codes, and the person's own security
 * settings. The password policy's refusal lives beside the policy (password-policy.ts).
 */
export const IdentityErrors = {
  vpnNotAllowed: () =>
    Forbidden(
      'vpn_not_allowed',
      'Your connection appears to come through a VPN or proxy. Turn off your VPN and try again.',
    ),
  /** Sign-up's fields to fix; a personal or disposable email makes it a work-email refusal. */
  signUpRefused: (workEmail: boolean, fields: { field: string; message: string }[]) =>
    ValidationFailed(
      workEmail ? 'work_email_required' : 'invalid_sign_up',
      fields.map((f) => f.message).join(' '),
      fields,
    ),
  workEmailRequired: (message: string) =>
    ValidationFailed('work_email_required', message, [{ field: 'email', message }]),
  emailTaken: (by: 'account' | 'user') =>
    Conflict(
      'email_taken',
      by === 'account'
        ? 'An account already uses this email. Sign in, or use Forgot Password to get back in.'
        : 'Another user already uses this email address.',
    ),
  sameEmail: () => ValidationFailed('same_email', 'This is already your email address.'),
  linkOutdated: () => Conflict('link_outdated', 'This link was for an earlier email address.'),
  emailAlreadyVerified: () => Conflict('email_already_verified', 'Your email is already verified.'),
  emailNotVerified: (email: string) =>
    Conflict('email_not_verified', `Verify your email first: open the link we sent to ${email}.`),
  invalidPhone: () =>
    ValidationFailed(
      'invalid_phone',
      'Enter a valid phone number with its country code, such as +14155550123.',
      [{ field: 'phone', message: 'Not a valid phone number.' }],
    ),
  invalidName: () => ValidationFailed('invalid_name', 'Enter your name (up to 100 characters).'),
  accountClosed: () =>
    Forbidden(
      'account_closed',
      'The account you belong to is closed: nobody can sign in to it any more. Questions about its refund: open a ticket at Support.',
    ),
  signInFailed: () => Unauthorized('sign_in_failed', 'The email or password is not right.'),
  /** A wrong current password, on the field that holds it. */
  passwordIncorrect: (field: 'password' | 'currentPassword') =>
    ValidationFailed(
      'password_incorrect',
      field === 'password' ? 'That password is not right.' : 'Your current password is not right.',
      [{ field, message: 'Not right.' }],
    ),
  /** "Secure my account" asked for a new password: the old one may be known to someone else. */
  samePassword: () =>
    ValidationFailed('same_password', 'Choose a password different from your previous one.', [
      { field: 'password', message: 'The same as before.' },
    ]),
  credentialRequired: () => ValidationFailed('credential_required', 'Enter your password or a code.'),
  reauthenticationRequired: () =>
    Forbidden(
      'reauthentication_required',
      'For your security, confirm it is you: enter your password or a code again, then retry.',
    ),
  phoneFactorUnavailable: () =>
    ValidationFailed(
      'phone_factor_unavailable',
      'Phone codes are not set up for this user. Use another method.',
    ),
  totpNotSetUp: () =>
    ValidationFailed('totp_not_set_up', 'No authenticator app is set up for this user. Use another method.'),
  totpAlreadyEnabled: () =>
    Conflict(
      'totp_already_enabled',
      'An authenticator app is already set up. Remove it first to add another.',
    ),
  totpNotEnabled: () => Conflict('totp_not_enabled', 'No authenticator app is set up.'),
  phoneNotVerified: (message = 'Verify a phone number first.') => Conflict('phone_not_verified', message),
  phoneCodeNeeded: () => Conflict('phone_code_needed', 'Confirm the code sent to your phone first.'),
  /** Removing or turning off the only second factor left. */
  lastFactor: (message: string) => Conflict('last_factor', message),
  /** A wrong code; `message` says how many attempts are left, or how to find the right one. */
  codeIncorrect: (message: string) =>
    ValidationFailed('code_incorrect', message, [{ field: 'code', message: 'The code is not right.' }]),
  codeAttemptsUsed: (message = 'Too many wrong codes. Ask for a new code.') =>
    Gone('code_attempts_used', message),
  noCodeSent: () => ValidationFailed('no_code_sent', 'No code was sent for this step. Ask for a code first.'),
  noOpenStep: () => NotFound('no_open_step', 'There is nothing to confirm. Start again.'),
  codeExpired: () => Gone('code_expired', 'This step has expired. Start again to get a new code.'),
  linkInvalid: () =>
    NotFound(
      'link_invalid',
      'This link is not valid. Check that you copied the whole link, or ask for a new one.',
    ),
  linkUsed: (message = 'This link has already been used. Ask for a new one if you still need it.') =>
    Gone('link_used', message),
  linkExpired: () => Gone('link_expired', 'This link has expired. Ask for a new one.'),
  invalidPasskeyName: () =>
    ValidationFailed(
      'invalid_passkey_name',
      'Name the passkey (up to 60 characters), such as "Work laptop".',
      [{ field: 'name', message: 'Up to 60 characters.' }],
    ),
  /** The ceremony's challenge was used, replaced by a newer one, or expired (5 minutes). */
  passkeyChallengeMissing: () =>
    Gone('passkey_challenge_expired', 'This passkey request has expired or was already used. Start again.'),
  passkeyNotCreated: () =>
    ValidationFailed(
      'passkey_not_created',
      'The passkey could not be checked. Start again, and use this site in your browser rather than a copy of it.',
    ),
  passkeyExists: () => Conflict('passkey_exists', 'This passkey is already added.'),
  passkeyNotFound: () => NotFound('passkey_not_found', 'There is no such passkey.'),
  passkeyNotSetUp: () =>
    ValidationFailed('passkey_not_set_up', 'No passkey is set up for this user. Use another method.'),
  /**
   * An assertion refused for any reason (unknown passkey, wrong signature, origin, counter or user
   * handle, used or expired challenge): one answer, so it says nothing about who has a passkey.
   */
  passkeyRefused: () =>
    Unauthorized(
      'passkey_refused',
      'That passkey was not accepted. Try again, or use another way to sign in.',
    ),
} as const;
