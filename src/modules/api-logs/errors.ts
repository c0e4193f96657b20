import { ValidationFailed } from '../../lib/errors.js';

/** The refusals of Logs > API. */
export const ApiLogErrors = {
  invalidDate: () =>
    ValidationFailed('invalid_date', 'from and to must be dates such as 2026-11-25 or 2026-11-25T10:00:00Z.'),
  invalidStatus: () =>
    ValidationFailed('invalid_status', 'status must be an HTTP status such as 429, or a class such as 4xx.'),
} as const;
