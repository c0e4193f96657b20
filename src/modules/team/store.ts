import type { Updateable } from 'kysely';
import { type Db, executor } from '../../db/database.js';
import type { InvitationsTable, Role } from '../../db/schema.js';

/** SQL for members and invitations of accounts. */
export class TeamStore {
  constructor(private readonly db: Db) {}

  private get q() {
    return executor(this.db);
  }

  /** The account's members, oldest first: who, their role, when they joined. */
  private memberRows(accountId: string) {
    return this.q
      .selectFrom('memberships')
      .innerJoin('users', 'users.id', 'memberships.user_id')
      .select([
        'users.id as userId',
        'users.name',
        'users.email',
        'memberships.role',
        'memberships.created_at as joinedAt',
      ])
      .where('memberships.account_id', '=', accountId)
      .orderBy('memberships.created_at');
  }

  members(accountId: string) {
    return this.memberRows(accountId).execute();
  }

  /** The members with their second factors, as staff see them. */
  membersWithFactors(accountId: string) {
    return this.memberRows(accountId)
      .select([
        'users.phone_factor_enabled as phoneFactorEnabled',
        'users.phone_verified_at as phoneVerifiedAt',
        'users.totp_enabled_at as totpEnabledAt',
      ])
      .execute();
  }

  membership(accountId: string, userId: string) {
    return this.q
      .selectFrom('memberships')
      .innerJoin('users', 'users.id', 'memberships.user_id')
      .select(['users.id as userId', 'users.name', 'users.email', 'memberships.role'])
      .where('memberships.account_id', '=', accountId)
      .where('memberships.user_id', '=', userId)
      .executeTakeFirst();
  }

  async setRole(accountId: string, userId: string, role: Role) {
    await this.q
      .updateTable('memberships')
      .set({ role })
      .where('account_id', '=', accountId)
      .where('user_id', '=', userId)
      .execute();
  }

  async removeMembership(accountId: string, userId: string) {
    await this.q
      .deleteFrom('memberships')
      .where('account_id', '=', accountId)
      .where('user_id', '=', userId)
      .execute();
  }

  pendingInvitations(accountId: string) {
    return this.q
      .selectFrom('invitations')
      .select(['id', 'email', 'role', 'created_at as createdAt', 'last_sent_at as lastSentAt'])
      .where('account_id', '=', accountId)
      .where('accepted_at', 'is', null)
      .where('revoked_at', 'is', null)
      .orderBy('created_at')
      .execute();
  }

  pendingInvitationFor(accountId: string, email: string) {
    return this.q
      .selectFrom('invitations')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('email', '=', email)
      .where('accepted_at', 'is', null)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
  }

  invitation(accountId: string, invitationId: string) {
    return this.q
      .selectFrom('invitations')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('id', '=', invitationId)
      .executeTakeFirst();
  }

  invitationByDigest(digest: string) {
    return this.q
      .selectFrom('invitations')
      .innerJoin('accounts', 'accounts.id', 'invitations.account_id')
      .leftJoin('users as inviter', 'inviter.id', 'invitations.invited_by')
      .selectAll('invitations')
      .select(['accounts.name as accountName', 'inviter.name as inviterName'])
      .where('invitations.token_digest', '=', digest)
      .executeTakeFirst();
  }

  async insertInvitation(row: {
    id: string;
    account_id: string;
    email: string;
    token_digest: string;
    role: InvitationsTable['role'];
    invited_by: string | null;
  }) {
    await this.q.insertInto('invitations').values(row).execute();
  }

  /** Updates an invitation only while it is pending; false when it was accepted or revoked meanwhile. */
  async updatePendingInvitation(
    invitationId: string,
    changes: Updateable<InvitationsTable>,
  ): Promise<boolean> {
    const result = await this.q
      .updateTable('invitations')
      .set(changes)
      .where('id', '=', invitationId)
      .where('accepted_at', 'is', null)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  /** Ends the user's sessions that work in this account (their other accounts are untouched). */
  async endSessionsInAccount(accountId: string, userId: string, at: Date) {
    await this.q
      .updateTable('sessions')
      .set({ revoked_at: at })
      .where('account_id', '=', accountId)
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .execute();
  }
}
