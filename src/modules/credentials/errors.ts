import { Conflict, NotFound, ValidationFailed } from '../../lib/errors.js';

/** The refusals of Account > Settings > Credentials. */
export const CredentialErrors = {
  tokenNotFound: () => NotFound('token_not_found', 'No live token with this id.'),
  lastToken: () =>
    Conflict(
      'last_token',
      'This is the only live Auth Token. Generate a new token and choose to revoke the old one instead.',
    ),
} as const;

/** The refusals of Account > Settings > Credentials > API Keys. */
export const ApiKeyErrors = {
  keyNotFound: (keyId: string) => NotFound('api_key_not_found', `No API key ${keyId} in this account.`),
  alreadyRevoked: (keyId: string) => Conflict('api_key_revoked', `The API key ${keyId} is already revoked.`),
  invalid: (field: string, message: string) =>
    ValidationFailed('invalid_api_key', message, [{ field, message }]),
} as const;
