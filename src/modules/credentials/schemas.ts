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
