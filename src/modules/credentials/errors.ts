import { Conflict, NotFound } from '../../lib/errors.js';

/** The refusals of Account > Settings > Credentials. */
export const CredentialErrors = {
  tokenNotFound: () => NotFound('token_not_found', 'No live token with this id.'),
  lastToken: () =>
    Conflict(
      'last_token',
      'This is the only live Auth Token. Generate a new token and choose to revoke the old one instead.',
    ),
} as const;
