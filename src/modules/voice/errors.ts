import { Conflict, DomainError, Forbidden, NotFound } from '../../lib/errors.js';

/** Stable codes of the voice engine routes' refusals (the engine door's {"error", "message"}). */
export const VoiceErrors = {
  unknownEndpoint: 'unknown_endpoint',
  accountInactive: 'account_inactive',
  unknownDestination: 'unknown_destination',
  forbiddenSource: 'forbidden_source',
  unknownCall: 'unknown_call',
  stillRinging: 'call_ringing',
} as const;

export const VoiceRefusals = {
  unknownEndpoint: (username: string) =>
    NotFound(VoiceErrors.unknownEndpoint, `No endpoint has the username "${username}" in this SIP domain.`),
  accountInactive: (username: string) =>
    Forbidden(
      VoiceErrors.accountInactive,
      `The account of endpoint "${username}" may not use SIP now: it is suspended, closed or disabled.`,
    ),
  unknownDestination: (to: string) =>
    NotFound(
      VoiceErrors.unknownDestination,
      `"${to}" is neither an endpoint, a rented number with an application endpoint, nor a number the carrier takes.`,
    ),
  forbiddenSource: (ip: string) =>
    Forbidden(
      VoiceErrors.forbiddenSource,
      `${ip} is not one of the carrier addresses (SIP_CARRIER_ADDRESSES): an unauthenticated call must come from the carrier.`,
    ),
  unknownCall: (callUuid: string) => NotFound(VoiceErrors.unknownCall, `Call ${callUuid} not found.`),
  notLive: (callUuid: string) =>
    NotFound(VoiceErrors.unknownCall, `Live call ${callUuid} not found: the call has ended.`),
  stillRinging: (callUuid: string) =>
    Conflict(
      VoiceErrors.stillRinging,
      `Call ${callUuid} is still ringing: only an answered call can be hung up.`,
    ),
  refusedByCredit: (status: 402 | 403, code: string, reason: string) => new DomainError(status, code, reason),
};
