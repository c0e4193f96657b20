import { type Static, Type } from '@sinclair/typebox';
import { Timestamp, type Wire } from '../../http/console-schemas.js';
import { AttachmentUpload, MAX_ATTACHMENTS } from '../support/schemas.js';

const Reason = Type.Union([
  Type.Literal('content_violation'),
  Type.Literal('payment_failure'),
  Type.Literal('compliance_issue'),
  Type.Literal('suspicious_activity'),
]);

export const Suspend = Type.Object(
  {
    reason: Reason,
    details: Type.String({
      maxLength: 4000,
      description: 'what the members read: what happened, what to address',
    }),
  },
  { additionalProperties: false },
);
export const Reinstate = Type.Object(
  { note: Type.String({ maxLength: 4000 }) },
  { additionalProperties: false },
);
export const ReinstatementRequest = Type.Object(
  {
    message: Type.String({ maxLength: 4000, description: 'what was addressed' }),
    attachments: Type.Optional(
      Type.Array(AttachmentUpload, {
        maxItems: MAX_ATTACHMENTS,
        description: 'documents for staff, as support tickets take them (type decided by content)',
      }),
    ),
  },
  { additionalProperties: false },
);

export const SuspensionView = Type.Object({
  reason: Reason,
  reasonLabel: Type.String(),
  whatToAddress: Type.String(),
  details: Type.String(),
  suspendedAt: Timestamp(),
  reinstatementRequestedAt: Type.Union([Timestamp(), Type.Null()]),
  reinstatementTicket: Type.Union([
    Type.String({ description: 'the support ticket the request opened, T-000123' }),
    Type.Null(),
  ]),
});
export type SuspensionView = Wire<Static<typeof SuspensionView>>;

export const SuspensionState = Type.Object({ suspension: Type.Union([SuspensionView, Type.Null()]) });
export type SuspensionState = Wire<Static<typeof SuspensionState>>;

export const SuspensionHistory = Type.Object({
  suspensions: Type.Array(
    Type.Object({
      reason: Reason,
      details: Type.String(),
      suspendedBy: Type.String(),
      suspendedAt: Timestamp(),
      reinstatementRequestedAt: Type.Union([Timestamp(), Type.Null()]),
      reinstatementRequest: Type.Union([Type.String(), Type.Null()]),
      reinstatementTicket: Type.Union([Type.String(), Type.Null()]),
      endedAt: Type.Union([Timestamp(), Type.Null()]),
      endedBy: Type.Union([Type.String(), Type.Null()]),
      endNote: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
});
export type SuspensionHistory = Wire<Static<typeof SuspensionHistory>>;

export const StaffAccountParams = Type.Object({ accountId: Type.String({ format: 'uuid' }) });
