import { ValidationFailed } from '../../lib/errors.js';

/** The refusals of the Lookup API. */
export const LookupErrors = {
  invalidNumber: (input: string) =>
    ValidationFailed(
      'invalid_number',
      `${input} is not a valid phone number; send it in E.164 form, such as +14155552671.`,
    ),
} as const;
