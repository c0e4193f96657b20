import { type Static, Type } from '@sinclair/typebox';
import { Nullable } from '../../http/common-schemas.js';
import { Timestamp, type Wire } from '../../http/console-schemas.js';

export const FlagParams = Type.Object({ flagId: Type.String({ format: 'uuid' }) });

export const ClearFlag = Type.Object(
  { note: Type.String({ maxLength: 4000, description: 'why the activity is fine (audited)' }) },
  { additionalProperties: false },
);

export const SuspiciousActivityFlag = Type.Object({
  id: Type.String({ format: 'uuid' }),
  accountId: Type.String({ format: 'uuid' }),
  authId: Type.String(),
  accountName: Type.String(),
  accountStatus: Type.String(),
  rule: Type.Union([Type.Literal('spend_spike'), Type.Literal('sign_in_countries')]),
  ruleLabel: Type.String(),
  day: Type.String({ description: "the account's local day the figures are of" }),
  summary: Type.String({ description: 'what the rule observed' }),
  createdAt: Timestamp(),
  resolvedAt: Type.Union([Timestamp(), Type.Null()]),
  resolvedBy: Nullable(Type.String({ description: '"staff:<id>", "staff" or "system"' })),
  outcome: Type.Union([Type.Literal('cleared'), Type.Literal('suspended'), Type.Null()]),
  note: Nullable(Type.String()),
});
export type SuspiciousActivityFlag = Wire<Static<typeof SuspiciousActivityFlag>>;

export const FlaggedList = Type.Object({ flags: Type.Array(SuspiciousActivityFlag) });
export type FlaggedList = Wire<Static<typeof FlaggedList>>;
