import { Conflict, Forbidden, Gone, NotFound, Unauthorized, ValidationFailed } from '../../lib/errors.js';

/** The refusals of Settings > Account > Team, invitation links and switching accounts. */
export const TeamErrors = {
  workEmailRequired: (problem: string) =>
    ValidationFailed('work_email_required', problem, [{ field: 'email', message: problem }]),
  /** Granting a role above one's own (an Admin cannot make an Owner). */
  roleNotGrantable: (why: string, field?: string) =>
    Forbidden('role_not_grantable', why, field ? [{ field, message: why }] : []),
  alreadyMember: (email: string) =>
    Conflict('already_member', `${email} is already a member of this account.`, [
      { field: 'email', message: 'Already a member of this account.' },
    ]),
  alreadyInvited: (email: string) =>
    Conflict('already_invited', `${email} already has a pending invitation: resend it instead.`, [
      { field: 'email', message: 'Already invited: resend the invitation instead.' },
    ]),
  invitationNotFound: (which: 'pending' | 'any') =>
    NotFound(
      'invitation_not_found',
      which === 'pending' ? 'No pending invitation with this id.' : 'No invitation with this id.',
    ),
  invitationClosed: () => Conflict('invitation_closed', 'This invitation was already accepted or revoked.'),
  linkInvalid: () => NotFound('link_invalid', 'This invitation link is not valid. Ask for a new invitation.'),
  linkUsed: (message = 'This invitation was already accepted. Sign in to continue.') =>
    Gone('link_used', message),
  invitationRevoked: () =>
    Gone('invitation_revoked', 'This invitation was withdrawn. Ask the account owner for a new one.'),
  linkExpired: () => Gone('link_expired', 'This invitation has expired. Ask for it to be resent.'),
  signInToAccept: (email: string) =>
    Unauthorized('sign_in_to_accept', `Sign in as ${email} to accept this invitation.`),
  nameRequired: () =>
    ValidationFailed('invalid_name', 'Enter your name.', [{ field: 'name', message: 'Enter your name.' }]),
  memberNotFound: () => NotFound('member_not_found', 'No such member in this account.'),
  /** The Owner's role never changes and the Owner is never removed. */
  ownerIsFixed: (message: string) => Forbidden('owner_is_fixed', message),
  notMemberOfAccount: () => NotFound('account_not_found', 'You are not a member of that account.'),
} as const;
