import { Conflict, Unauthorized, ValidationFailed } from '../../lib/errors.js';

/** The refusals of the staff door and of `switchboard staff create`. */
export const StaffErrors = {
  invalidEmail: (email: string) => ValidationFailed('invalid_email', `"${email}" is not an email address.`),
  nameRequired: () => ValidationFailed('invalid_name', 'Give the staff member a name.'),
  staffExists: (email: string) =>
    Conflict('staff_exists', `A staff member with email ${email} already exists.`),
  /** The same answer for an unknown email and a wrong password. */
  signInFailed: () => Unauthorized('sign_in_failed', 'The email or password is not right.'),
  codeIncorrect: (message: string) =>
    ValidationFailed('code_incorrect', message, [{ field: 'code', message: 'Not right.' }]),
} as const;
