import type {
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';
import { type Static, Type } from '@sinclair/typebox';
import { Timestamp, type Wire } from '../../http/console-schemas.js';

/**
 * Passkey requests and answers, for users (/api) and staff (/api/staff) alike. Credentials are
 * what @simplewebauthn/browser answers, every field base64url; extension results are dropped
 * (nothing here asks for an extension).
 */
const Base64Url = (maxLength: number) =>
  Type.String({ minLength: 1, maxLength, pattern: '^[A-Za-z0-9_-]+$' });

const CredentialId = Base64Url(1400);
const Attachment = Type.Union([Type.Literal('platform'), Type.Literal('cross-platform')]);

/** What navigator.credentials.create() made, as @simplewebauthn/browser's startRegistration answers it. */
export const RegistrationCredential = Type.Object({
  id: CredentialId,
  rawId: CredentialId,
  type: Type.Literal('public-key'),
  authenticatorAttachment: Type.Optional(Attachment),
  clientExtensionResults: Type.Object({}),
  response: Type.Object({
    clientDataJSON: Base64Url(4096),
    attestationObject: Base64Url(16384),
    authenticatorData: Type.Optional(Base64Url(8192)),
    transports: Type.Optional(Type.Array(Type.String({ maxLength: 32 }), { maxItems: 10 })),
    publicKeyAlgorithm: Type.Optional(Type.Integer()),
    publicKey: Type.Optional(Base64Url(4096)),
  }),
});

/** What navigator.credentials.get() signed, as @simplewebauthn/browser's startAuthentication answers it. */
export const AuthenticationCredential = Type.Object({
  id: CredentialId,
  rawId: CredentialId,
  type: Type.Literal('public-key'),
  authenticatorAttachment: Type.Optional(Attachment),
  clientExtensionResults: Type.Object({}),
  response: Type.Object({
    clientDataJSON: Base64Url(4096),
    authenticatorData: Base64Url(8192),
    signature: Base64Url(2048),
    userHandle: Type.Optional(Base64Url(128)),
  }),
});

/** Add a passkey, step 2: the new credential and the name to know it by. */
export const NewPasskey = Type.Object({
  name: Type.String({ maxLength: 60, description: 'such as "Work laptop"' }),
  credential: RegistrationCredential,
});
export type NewPasskey = Static<typeof NewPasskey>;

export const PasskeyAssertion = Type.Object({ credential: AuthenticationCredential });
export type PasskeyAssertion = Static<typeof PasskeyAssertion>;

export const PasskeyRename = Type.Object({ name: Type.String({ maxLength: 60 }) });
export type PasskeyRename = Static<typeof PasskeyRename>;

export const PasskeyParams = Type.Object({ passkeyId: Type.String({ format: 'uuid' }) });

/** The options to pass to @simplewebauthn/browser's startRegistration. */
export const RegistrationOptions = Type.Object({
  options: Type.Unsafe<PublicKeyCredentialCreationOptionsJSON>(
    Type.Object({}, { additionalProperties: true, description: 'PublicKeyCredentialCreationOptionsJSON' }),
  ),
});
export type RegistrationOptions = Static<typeof RegistrationOptions>;

/** The options to pass to @simplewebauthn/browser's startAuthentication. */
export const AuthenticationOptions = Type.Object({
  options: Type.Unsafe<PublicKeyCredentialRequestOptionsJSON>(
    Type.Object({}, { additionalProperties: true, description: 'PublicKeyCredentialRequestOptionsJSON' }),
  ),
});
export type AuthenticationOptions = Static<typeof AuthenticationOptions>;

export const Passkey = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  createdAt: Timestamp(),
  lastUsedAt: Type.Union([Timestamp(), Type.Null()]),
});
export type Passkey = Wire<Static<typeof Passkey>>;

export const PasskeyList = Type.Object({ passkeys: Type.Array(Passkey) });
export type PasskeyList = Wire<Static<typeof PasskeyList>>;
