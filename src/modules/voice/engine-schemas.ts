import { Type } from '@sinclair/typebox';

const Username = Type.String({ minLength: 1, maxLength: 64, description: "an endpoint's SIP username" });

/** POST /api/engine/sip/digest */
export const DigestAsked = Type.Object({
  username: Username,
  realm: Type.String({ minLength: 1, maxLength: 253, description: 'the SIP domain (SIP_DOMAIN)' }),
});
export const DigestAnswer = Type.Object({
  ha1: Type.String({ description: 'MD5(username:realm:password), lowercase hex: the password never leaves' }),
});

/** POST /api/engine/sip/registrations */
export const RegistrationSaved = Type.Object({
  username: Username,
  contact: Type.String({ minLength: 1, maxLength: 512, description: "the registration's Contact URI" }),
  user_agent: Type.Optional(Type.String({ maxLength: 256 })),
  expires: Type.Integer({ minimum: 0, maximum: 604_800, description: 'seconds; 0 when unregistered' }),
  received: Type.Optional(Type.String({ maxLength: 64, description: 'the address the REGISTER came from' })),
});

/** POST /api/engine/calls */
export const CallAsked = Type.Object({
  sip_call_id: Type.String({ minLength: 1, maxLength: 256, description: "the INVITE's Call-ID" }),
  from_user: Type.Union([Username, Type.Null()], {
    description: "the authenticated endpoint's username; null for a call from a carrier address",
  }),
  from: Type.String({ maxLength: 128, description: "the From header's user part" }),
  to: Type.String({ minLength: 1, maxLength: 128, description: "the Request-URI's user part" }),
  source_ip: Type.String({ maxLength: 64, description: 'the address the INVITE came from' }),
});
export const CallRouted = Type.Object({
  call_uuid: Type.String(),
  max_seconds: Type.Integer({ description: 'the most seconds the credit buys now: the dialog timeout' }),
  route: Type.Union([Type.Literal('endpoint'), Type.Literal('carrier')]),
  target: Type.String({ description: 'the Request-URI to relay to (an endpoint: look up its location)' }),
});

export const CallParams = Type.Object({ callUuid: Type.String({ maxLength: 64 }) });

/** POST /api/engine/calls/{callUuid}/answer */
export const CallAnswered = Type.Object({
  h_entry: Type.Optional(Type.Integer({ minimum: 0, maximum: 4_294_967_295 })),
  h_id: Type.Optional(Type.Integer({ minimum: 0, maximum: 4_294_967_295 })),
});

/** POST /api/engine/calls/{callUuid}/end */
export const CallEnded = Type.Object({
  hangup_cause: Type.String({ minLength: 1, maxLength: 64, description: 'e.g. NORMAL_CLEARING, NO_ANSWER' }),
  hangup_source: Type.String({
    minLength: 1,
    maxLength: 32,
    description: 'caller, callee, timeout, switchboard or error',
  }),
  sip_code: Type.Optional(Type.Integer({ minimum: 100, maximum: 699 })),
});

export const CallAcknowledged = Type.Object({ call_uuid: Type.String() });
