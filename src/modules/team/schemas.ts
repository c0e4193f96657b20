import { type Static, Type } from '@sinclair/typebox';
import { Timestamp, type Wire } from '../../http/console-schemas.js';

/** A member's role in an account. */
export const Role = Type.Union([
  Type.Literal('owner'),
  Type.Literal('admin'),
  Type.Literal('developer'),
  Type.Literal('support'),
  Type.Literal('financial_analyst'),
]);
export type Role = Static<typeof Role>;

/** Roles a member can be given: every role but Owner, which belongs to the account's creator and never moves. */
export const AssignableRole = Type.Union([
  Type.Literal('admin'),
  Type.Literal('developer'),
  Type.Literal('support'),
  Type.Literal('financial_analyst'),
]);
export type AssignableRole = Static<typeof AssignableRole>;

export const Member = Type.Object({
  userId: Type.String({ format: 'uuid' }),
  name: Type.String(),
  email: Type.String(),
  role: Role,
  joinedAt: Timestamp(),
});
export type Member = Wire<Static<typeof Member>>;

export const Invitation = Type.Object({
  id: Type.String({ format: 'uuid' }),
  email: Type.String(),
  role: AssignableRole,
  createdAt: Timestamp(),
  lastSentAt: Timestamp(),
});
export type Invitation = Wire<Static<typeof Invitation>>;

/** GET /api/team: the account's members with their roles, and its pending invitations. */
export const Team = Type.Object({ members: Type.Array(Member), invitations: Type.Array(Invitation) });
export type Team = Wire<Static<typeof Team>>;

export const Invite = Type.Object({ email: Type.String({ maxLength: 254 }), role: AssignableRole });
export type Invite = Static<typeof Invite>;

export const InvitationSent = Type.Object({
  id: Type.String({ format: 'uuid' }),
  email: Type.String(),
  role: AssignableRole,
});
export type InvitationSent = Static<typeof InvitationSent>;

export const ChangeRole = Type.Object({ role: AssignableRole });
export type ChangeRole = Static<typeof ChangeRole>;

export const UserParams = Type.Object({ userId: Type.String({ format: 'uuid' }) });
export const InvitationParams = Type.Object({ invitationId: Type.String({ format: 'uuid' }) });
export const InvitationTokenParams = Type.Object({ token: Type.String({ maxLength: 200 }) });

/** GET /api/invitations/:token: what an invitation link is for. */
export const InvitationView = Type.Object({
  accountName: Type.String(),
  email: Type.String(),
  role: Role,
  invitedBy: Type.Union([Type.String(), Type.Null()]),
  hasUser: Type.Boolean({ description: 'whether the email already has a user, who signs in to accept' }),
  expiresAt: Timestamp(),
});
export type InvitationView = Wire<Static<typeof InvitationView>>;

/** New people give a name and a password; existing users accept while signed in. */
export const AcceptInvitation = Type.Object({
  token: Type.String({ maxLength: 200 }),
  name: Type.Optional(Type.String({ maxLength: 100 })),
  password: Type.Optional(Type.String({ maxLength: 256 })),
});
export type AcceptInvitation = Static<typeof AcceptInvitation>;

export const InvitationAccepted = Type.Object({
  accountId: Type.String({ format: 'uuid' }),
  next: Type.Union([Type.Literal('enroll_two_factor'), Type.Literal('console')]),
});
export type InvitationAccepted = Static<typeof InvitationAccepted>;

export const SwitchAccount = Type.Object({ accountId: Type.String({ format: 'uuid' }) });
export type SwitchAccount = Static<typeof SwitchAccount>;
