import { NotFound, ValidationFailed } from '../../lib/errors.js';

/** The Message API's codes (the console's `code`; /v1 answers the message alone, as Plivo does). */
export const MessageErrors = {
  invalidMessage: 'invalid_message',
  senderNotAllowed: 'sender_not_allowed',
  noValidDestination: 'no_valid_destination',
  messageNotFound: 'message_not_found',
  notScheduled: 'message_not_scheduled',
} as const;

/**
 * Plivo's message error codes Switchboard gives (plivo.com/docs/messaging/troubleshooting/error-codes):
 * 420 the message expired before it could be sent, 900 the account had no credit when a scheduled
 * message was due and it expired waiting, 1000 an unknown error (the SMSC refused it).
 */
export const MessageErrorCodes = {
  expired: 420,
  insufficientCredit: 900,
  unknown: 1000,
} as const;

export const MessageRefusals = {
  invalid: (field: string, message: string) =>
    ValidationFailed(MessageErrors.invalidMessage, `${field}: ${message}`, [{ field, message }]),
  notFound: (uuid: string) => NotFound(MessageErrors.messageNotFound, `Message ${uuid} not found.`),
};
