import { type Static, Type } from '@sinclair/typebox';
import { Timestamp, type Wire } from '../../http/console-schemas.js';

export const CidrEntry = Type.Object({
  id: Type.String({ format: 'uuid' }),
  cidr: Type.String(),
  createdAt: Timestamp(),
});
export type CidrEntry = Wire<Static<typeof CidrEntry>>;

/** GET /api/ip-whitelist: whether the list is enforced, its CIDR addresses, and the address you use now. */
export const IpWhitelist = Type.Object({
  enabled: Type.Boolean(),
  entries: Type.Array(CidrEntry),
  yourAddress: Type.String(),
});
export type IpWhitelist = Wire<Static<typeof IpWhitelist>>;

export const AddCidr = Type.Object({ cidr: Type.String({ maxLength: 64 }) });
export type AddCidr = Static<typeof AddCidr>;

/** The address as stored: canonical CIDR form. */
export const AddedCidr = Type.Object({ id: Type.String({ format: 'uuid' }), cidr: Type.String() });
export type AddedCidr = Static<typeof AddedCidr>;

export const EntryParams = Type.Object({ entryId: Type.String({ format: 'uuid' }) });

export const RemoveCidrQuery = Type.Object({ confirmLockout: Type.Optional(Type.Boolean()) });

export const SetEnabled = Type.Object({
  enabled: Type.Boolean(),
  confirmLockout: Type.Optional(Type.Boolean()),
});
export type SetEnabled = Static<typeof SetEnabled>;
