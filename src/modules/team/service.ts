import { inTransaction } from '../../db/database.js';
import type { Role } from '../../db/schema.js';
import { assertThat } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { randomToken } from '../../lib/secrets.js';
import { messages } from '../../notify/messages.js';
import type { Actor } from '../audit/audit.js';
import type { Client, TeamDeps } from '../identity/deps.js';
import { personalWords } from '../identity/onboarding.js';
import { assertAcceptablePassword } from '../identity/password-policy.js';
import { hashPassword } from '../identity/passwords.js';
import type { Session } from '../identity/sessions.js';
import { normaliseEmail, workEmailProblem } from '../identity/work-email.js';
import { TeamErrors } from './errors.js';
import { type AssignableRole, mayGrant, roleNames } from './roles.js';
import { TeamStore } from './store.js';

/** How long an invitation link works after it was (re)sent. */
export const INVITATION_DAYS = 7;

/** Whether a member may work in an account beyond belonging to it (single sign-on's "require SSO"); refuses by throwing. */
export interface AccountSwitchRule {
  assertMaySwitchInto(userId: string, accountId: string, client: Client): Promise<void>;
}

/** Settings > Account > Team: members, roles and invitations. */
export class TeamService {
  readonly store: TeamStore;

  constructor(
    private readonly deps: TeamDeps,
    private readonly switchRule: AccountSwitchRule,
  ) {
    this.store = new TeamStore(deps.db);
  }

  async view(accountId: string) {
    const [members, invitations] = await Promise.all([
      this.store.members(accountId),
      this.store.pendingInvitations(accountId),
    ]);
    return { members, invitations };
  }

  /** The members as the staff console shows them: role, second factors and latest sign-in into the account. */
  async membersForStaff(accountId: string) {
    const members = await this.store.membersWithFactors(accountId);
    const signIns = await this.deps.audit.lastSignIns(
      accountId,
      members.map((m) => m.userId),
    );
    return members.map((m) => ({
      userId: m.userId,
      name: m.name,
      email: m.email,
      role: m.role,
      joinedAt: m.joinedAt,
      twoFactor: {
        phone: m.phoneFactorEnabled && m.phoneVerifiedAt !== null,
        authenticatorApp: m.totpEnabledAt !== null,
      },
      lastSignInAt: signIns.get(m.userId) ?? null,
    }));
  }

  /** Add New User → Invite User: a work email, one role; the invitee gets a link (single use, 7 days). */
  async invite(
    actor: Actor,
    accountId: string,
    actorRole: Role,
    input: { email: string; role: AssignableRole },
  ) {
    const email = normaliseEmail(input.email);
    const problem = workEmailProblem(email);
    assertThat(!problem, () => TeamErrors.workEmailRequired(problem?.message ?? ''));
    assertThat(mayGrant(actorRole, input.role), () =>
      TeamErrors.roleNotGrantable(`Your role cannot grant the ${roleNames[input.role]} role.`, 'role'),
    );
    return inTransaction(this.deps.db, async () => {
      const existingUser = await this.deps.store.userByEmail(email);
      if (existingUser) {
        assertThat(!(await this.store.membership(accountId, existingUser.id)), () =>
          TeamErrors.alreadyMember(email),
        );
      }
      assertThat(!(await this.store.pendingInvitationFor(accountId, email)), () =>
        TeamErrors.alreadyInvited(email),
      );
      const token = randomToken();
      const id = newId();
      await this.store.insertInvitation({
        id,
        account_id: accountId,
        email,
        token_digest: this.deps.secrets.digest(token),
        role: input.role,
        invited_by: actor.userId ?? null,
      });
      await this.sendInvitation(accountId, email, input.role, actor.userId ?? null, token);
      await this.deps.audit.record(actor, {
        action: 'team.member_invited',
        accountId,
        details: { email, role: input.role },
      });
      return { id, email, role: input.role };
    });
  }

  /** Resend: a new link; the previous one stops working. */
  async resend(actor: Actor, accountId: string, invitationId: string) {
    await inTransaction(this.deps.db, async () => {
      const invitation = await this.store.invitation(accountId, invitationId);
      assertThat(invitation && !invitation.accepted_at && !invitation.revoked_at, () =>
        TeamErrors.invitationNotFound('pending'),
      );
      const token = randomToken();
      await this.store.updatePendingInvitation(invitationId, {
        token_digest: this.deps.secrets.digest(token),
        last_sent_at: this.deps.clock.now(),
      });
      await this.sendInvitation(accountId, invitation.email, invitation.role, actor.userId ?? null, token);
      await this.deps.audit.record(actor, {
        action: 'team.invitation_resent',
        accountId,
        details: { email: invitation.email },
      });
    });
  }

  async revoke(actor: Actor, accountId: string, invitationId: string) {
    await inTransaction(this.deps.db, async () => {
      const invitation = await this.store.invitation(accountId, invitationId);
      assertThat(invitation, () => TeamErrors.invitationNotFound('any'));
      const revoked = await this.store.updatePendingInvitation(invitationId, {
        revoked_at: this.deps.clock.now(),
      });
      assertThat(revoked, TeamErrors.invitationClosed);
      await this.deps.audit.record(actor, {
        action: 'team.invitation_revoked',
        accountId,
        details: { email: invitation.email },
      });
    });
  }

  /** What an invitation link is for, or why it no longer works. */
  async invitation(token: string) {
    const invitation = await this.store.invitationByDigest(this.deps.secrets.digest(token));
    assertThat(invitation, TeamErrors.linkInvalid);
    assertThat(!invitation.accepted_at, () => TeamErrors.linkUsed());
    assertThat(!invitation.revoked_at, TeamErrors.invitationRevoked);
    const expiresAt = new Date(invitation.last_sent_at.getTime() + INVITATION_DAYS * 86_400_000);
    assertThat(expiresAt > this.deps.clock.now(), TeamErrors.linkExpired);
    const existingUser = await this.deps.store.userByEmail(invitation.email);
    return {
      invitation,
      view: {
        accountName: invitation.accountName,
        email: invitation.email,
        role: invitation.role,
        invitedBy: invitation.inviterName,
        hasUser: Boolean(existingUser),
        expiresAt,
      },
    };
  }

  /**
   * Accepting an invitation. A new person sets their name and a password under the policy and then
   * enrolls 2FA like everyone else; someone who already has a user signs in as that user first.
   * The session then works in the invited account.
   */
  async accept(
    token: string,
    input: { name?: string; password?: string },
    session: Session | null,
    client: Client,
  ): Promise<{ sessionToken?: string; accountId: string }> {
    const { invitation } = await this.invitation(token);
    const existing = await this.deps.store.userByEmail(invitation.email);
    let passwordHash: string | undefined;
    if (existing) {
      assertThat(session?.stage === 'full' && session.userId === existing.id, () =>
        TeamErrors.signInToAccept(invitation.email),
      );
    } else {
      const name = input.name?.trim() ?? '';
      assertThat(name.length > 0 && name.length <= 100, TeamErrors.nameRequired);
      await assertAcceptablePassword(input.password ?? '', personalWords(name, invitation.email));
      passwordHash = await hashPassword(input.password ?? '');
    }
    return inTransaction(this.deps.db, async () => {
      const accepted = await this.store.updatePendingInvitation(invitation.id, {
        accepted_at: this.deps.clock.now(),
      });
      assertThat(accepted, () => TeamErrors.linkUsed('This invitation was already accepted or withdrawn.'));
      let userId = existing?.id;
      if (!userId) {
        userId = newId();
        await this.deps.store.insertUser({
          id: userId,
          email: invitation.email,
          name: input.name?.trim() ?? '',
          password_hash: passwordHash as string,
        });
        await this.deps.store.updateUser(userId, { email_verified_at: this.deps.clock.now() });
      }
      await this.deps.store.insertMembership(invitation.account_id, userId, invitation.role);
      await this.deps.audit.record(
        { ...client, userId },
        {
          action: 'team.invitation_accepted',
          accountId: invitation.account_id,
          details: { role: invitation.role },
        },
      );
      if (existing && session) {
        await this.switchAccount(session, invitation.account_id, client);
        return { accountId: invitation.account_id };
      }
      const created = await this.deps.sessions.create(
        { principal: 'user', userId, accountId: invitation.account_id },
        'onboarding',
        client,
      );
      return { sessionToken: created.token, accountId: invitation.account_id };
    });
  }

  /** Changes a member's role; the owner's role never changes, and nobody grants above their own role. */
  async changeRole(actor: Actor, accountId: string, actorRole: Role, userId: string, role: AssignableRole) {
    await inTransaction(this.deps.db, async () => {
      const member = await this.store.membership(accountId, userId);
      assertThat(member, TeamErrors.memberNotFound);
      assertThat(member.role !== 'owner', () =>
        TeamErrors.ownerIsFixed('The Owner’s role cannot be changed.'),
      );
      assertThat(mayGrant(actorRole, role), () =>
        TeamErrors.roleNotGrantable(`Your role cannot grant the ${roleNames[role]} role.`),
      );
      assertThat(mayGrant(actorRole, member.role), () =>
        TeamErrors.roleNotGrantable(`Your role cannot change a ${roleNames[member.role]}.`),
      );
      await this.store.setRole(accountId, userId, role);
      await this.deps.audit.record(actor, {
        action: 'team.role_changed',
        accountId,
        details: { userId, from: member.role, to: role },
      });
      const account = await this.deps.accounts.view(accountId);
      await this.deps.outbox.enqueue({
        channel: 'email',
        to: member.email,
        ...messages.roleChanged(member.name, account.name, roleNames[role]),
      });
    });
  }

  /** Removes a member: their sessions in this account end at once and their next request is refused. */
  async remove(actor: Actor, accountId: string, actorRole: Role, userId: string) {
    await inTransaction(this.deps.db, async () => {
      const member = await this.store.membership(accountId, userId);
      assertThat(member, TeamErrors.memberNotFound);
      assertThat(member.role !== 'owner', () => TeamErrors.ownerIsFixed('The Owner cannot be removed.'));
      assertThat(mayGrant(actorRole, member.role), () =>
        TeamErrors.roleNotGrantable(`Your role cannot remove a ${roleNames[member.role]}.`),
      );
      await this.store.removeMembership(accountId, userId);
      await this.store.endSessionsInAccount(accountId, userId, this.deps.clock.now());
      await this.deps.audit.record(actor, {
        action: 'team.member_removed',
        accountId,
        details: { userId, role: member.role },
      });
      const account = await this.deps.accounts.view(accountId);
      await this.deps.outbox.enqueue({
        channel: 'email',
        to: member.email,
        ...messages.removedFromAccount(member.name, account.name),
      });
    });
  }

  /** Works in another account the person belongs to; the session then acts with that account's role. */
  async switchAccount(session: Session, accountId: string, client: Client) {
    const membership = await this.store.membership(accountId, session.userId as string);
    assertThat(membership, TeamErrors.notMemberOfAccount);
    await this.switchRule.assertMaySwitchInto(session.userId as string, accountId, client);
    await this.deps.sessions.moveToAccount(session.id, accountId);
    await this.deps.audit.record(
      { ...client, userId: session.userId },
      { action: 'user.switched_account', accountId },
    );
  }

  private async sendInvitation(
    accountId: string,
    email: string,
    role: AssignableRole,
    inviterId: string | null,
    token: string,
  ) {
    const account = await this.deps.accounts.view(accountId);
    const inviter = inviterId ? await this.deps.store.userById(inviterId) : null;
    await this.deps.outbox.enqueue({
      channel: 'email',
      to: email,
      ...messages.invitation(
        inviter?.name ?? 'The account owner',
        account.name,
        roleNames[role],
        `${this.deps.config.publicUrl}/invitation?token=${token}`,
      ),
    });
  }
}
