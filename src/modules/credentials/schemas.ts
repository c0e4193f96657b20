import { type Static, Type } from '@sinclair/typebox';
import { Timestamp, type Wire } from '../../http/console-schemas.js';

/** A live Auth Token as listed: only its last 4 characters. */
export const AuthTokenView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  last4: Type.String(),
  createdAt: Timestamp(),
  lastUsedAt: Type.Union([Timestamp(), Type.Null()]),
});
export type AuthTokenView = Wire<Static<typeof AuthTokenView>>;

/** GET /api/credentials: the Auth ID, the newest live Auth Token in full, and every live token. */
export const Credentials = Type.Object({
  authId: Type.String(),
  authToken: Type.Union([Type.String(), Type.Null()]),
  tokens: Type.Array(AuthTokenView),
});
export type Credentials = Wire<Static<typeof Credentials>>;

export const GenerateToken = Type.Object({ keepOldTokens: Type.Boolean() });
export type GenerateToken = Static<typeof GenerateToken>;

/** The new Auth Token, shown once. */
export const IssuedToken = Type.Object({ id: Type.String({ format: 'uuid' }), authToken: Type.String() });
export type IssuedToken = Static<typeof IssuedToken>;

export const TokenParams = Type.Object({ tokenId: Type.String({ format: 'uuid' }) });

/** The actions a key may be given on one /v1 resource. */
export const ApiKeyResourceView = Type.Object({
  name: Type.String(),
  actions: Type.Array(Type.String()),
});

/** An API key as listed (never its secret). */
export const ApiKeyView = Type.Object({
  keyId: Type.String(),
  name: Type.String(),
  authId: Type.String(),
  subaccount: Type.Union([Type.Object({ authId: Type.String(), name: Type.String() }), Type.Null()]),
  fullAccess: Type.Boolean(),
  grants: Type.Record(Type.String(), Type.Array(Type.String())),
  sourceCidrs: Type.Array(Type.String()),
  expiresAt: Type.Union([Timestamp(), Type.Null()]),
  createdAt: Timestamp(),
  createdBy: Type.Union([Type.String(), Type.Null()]),
  lastUsedAt: Type.Union([Timestamp(), Type.Null()]),
  revokedAt: Type.Union([Timestamp(), Type.Null()]),
  status: Type.Union([Type.Literal('active'), Type.Literal('expired'), Type.Literal('revoked')]),
});
export type ApiKeyView = Wire<Static<typeof ApiKeyView>>;

/** GET /api/credentials/api-keys: the keys of the account and its subaccounts, and what a key may be given. */
export const ApiKeyList = Type.Object({
  resources: Type.Array(ApiKeyResourceView),
  keys: Type.Array(ApiKeyView),
});
export type ApiKeyList = Wire<Static<typeof ApiKeyList>>;

/** POST /api/credentials/api-keys. */
export const CreateApiKey = Type.Object({
  name: Type.String({ maxLength: 200 }),
  subaccount: Type.Optional(Type.String({ maxLength: 64 })),
  expiresAt: Type.Optional(Type.String({ maxLength: 64 })),
  sourceCidrs: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 100 })),
  fullAccess: Type.Boolean(),
  grants: Type.Optional(
    Type.Record(Type.String({ maxLength: 40 }), Type.Array(Type.String({ maxLength: 20 }), { maxItems: 10 })),
  ),
});
export type CreateApiKey = Static<typeof CreateApiKey>;

/** The new key: its id and secret, shown once; `bearerToken` is the same key as one Bearer token. */
export const IssuedApiKey = Type.Object({
  keyId: Type.String(),
  secret: Type.String(),
  bearerToken: Type.String(),
});

export const ApiKeyParams = Type.Object({ keyId: Type.String({ maxLength: 64 }) });
