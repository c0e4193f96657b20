import { type Static, Type } from '@sinclair/typebox';
import { Timestamp, type Wire } from '../../http/console-schemas.js';

/**
 * An account as the console shows it to its members and to staff. Status is a plain string: the
 * account lifecycle owns the list of states, and a serializer must never refuse a new one.
 */
export const AccountView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  authId: Type.String(),
  name: Type.String(),
  status: Type.String({
    description: 'pending_verification, under_review, active, rejected, suspended, closed',
  }),
  review: Type.Union([
    Type.Object({
      reasonClass: Type.String(),
      reason: Type.String(),
      targetHours: Type.Integer({ description: 'the target for a decision, in hours' }),
    }),
    Type.Null(),
  ]),
  businessProfile: Type.Union([
    Type.Object({
      companyName: Type.String(),
      website: Type.String(),
      country: Type.String(),
      intendedUse: Type.String(),
    }),
    Type.Null(),
  ]),
  createdAt: Timestamp(),
});
export type AccountView = Wire<Static<typeof AccountView>>;
