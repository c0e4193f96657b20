import { type Insertable, sql, type Updateable } from 'kysely';
import { type Db, executor } from '../../db/database.js';
import type { SsoAttemptsTable, SsoConnectionsTable, SsoSettingsTable } from '../../db/schema.js';

export type ConnectionRow = Awaited<ReturnType<SsoStore['connection']>> & {};
export type AttemptRow = Awaited<ReturnType<SsoStore['attemptByHandle']>> & {};

/** SQL for single sign-on: the staff gate and options per account, identity providers, sign-in attempts. */
export class SsoStore {
  constructor(private readonly db: Db) {}

  /** A closing account's connections are retired: nobody signs in to it through them again. */
  async retireAllOf(accountId: string): Promise<number> {
    const result = await this.q
      .updateTable('sso_connections')
      .set({ status: 'retired' })
      .where('account_id', '=', accountId)
      .where('status', '!=', 'retired')
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  private get q() {
    return executor(this.db);
  }

  settings(accountId: string) {
    return this.q
      .selectFrom('sso_settings')
      .selectAll()
      .where('account_id', '=', accountId)
      .executeTakeFirst();
  }

  async upsertSettings(accountId: string, changes: Updateable<SsoSettingsTable>, at: Date) {
    await this.q
      .insertInto('sso_settings')
      .values({ account_id: accountId, ...changes, updated_at: at } as Insertable<SsoSettingsTable>)
      .onConflict((oc) => oc.column('account_id').doUpdateSet({ ...changes, updated_at: at }))
      .execute();
  }

  /** The account with this Auth ID, with its SSO gate (absent settings: SSO never enabled). */
  accountByAuthId(authId: string) {
    return this.q
      .selectFrom('accounts')
      .select(['accounts.id', 'accounts.name', 'accounts.auth_id as authId'])
      .where('accounts.auth_id', '=', authId)
      .executeTakeFirst();
  }

  /** Accounts a person belongs to, with whether each requires SSO (an active IdP, enabled by staff, required by its admins). */
  membershipsWithPolicy(userId: string) {
    return this.q
      .selectFrom('memberships')
      .leftJoin('sso_settings', 'sso_settings.account_id', 'memberships.account_id')
      .leftJoin('sso_connections', (join) =>
        join
          .onRef('sso_connections.account_id', '=', 'memberships.account_id')
          .on('sso_connections.status', '=', 'active'),
      )
      .select([
        'memberships.account_id as accountId',
        'memberships.role',
        'sso_settings.enabled_at as enabledAt',
        'sso_settings.require_sso as requireSso',
        'sso_connections.id as connectionId',
      ])
      .where('memberships.user_id', '=', userId)
      .orderBy('memberships.created_at')
      .execute();
  }

  /** An account with SSO in use that has a pending invitation for this email. */
  invitingAccount(email: string) {
    return this.q
      .selectFrom('invitations')
      .innerJoin('sso_settings', 'sso_settings.account_id', 'invitations.account_id')
      .innerJoin('sso_connections', (join) =>
        join
          .onRef('sso_connections.account_id', '=', 'invitations.account_id')
          .on('sso_connections.status', '=', 'active'),
      )
      .select('invitations.account_id as accountId')
      .where('invitations.email', '=', email)
      .where('invitations.accepted_at', 'is', null)
      .where('invitations.revoked_at', 'is', null)
      .where('sso_settings.enabled_at', 'is not', null)
      .orderBy('invitations.created_at', 'desc')
      .executeTakeFirst();
  }

  /** An account with SSO in use whose just-in-time membership admits this domain (its Owner's verified email domain). */
  jitAccount(domain: string) {
    return this.q
      .selectFrom('sso_settings')
      .innerJoin('memberships', (join) =>
        join
          .onRef('memberships.account_id', '=', 'sso_settings.account_id')
          .on('memberships.role', '=', 'owner'),
      )
      .innerJoin('users', 'users.id', 'memberships.user_id')
      .innerJoin('sso_connections', (join) =>
        join
          .onRef('sso_connections.account_id', '=', 'sso_settings.account_id')
          .on('sso_connections.status', '=', 'active'),
      )
      .select('sso_settings.account_id as accountId')
      .where('sso_settings.enabled_at', 'is not', null)
      .where('sso_settings.jit_role', 'is not', null)
      .where('users.email_verified_at', 'is not', null)
      .where(sql<string>`split_part(users.email, '@', 2)`, '=', domain)
      .orderBy('sso_settings.updated_at')
      .executeTakeFirst();
  }

  connection(accountId: string, connectionId: string) {
    return this.q
      .selectFrom('sso_connections')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('id', '=', connectionId)
      .executeTakeFirst();
  }

  connectionById(connectionId: string) {
    return this.q
      .selectFrom('sso_connections')
      .selectAll()
      .where('id', '=', connectionId)
      .executeTakeFirstOrThrow();
  }

  activeConnection(accountId: string) {
    return this.q
      .selectFrom('sso_connections')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('status', '=', 'active')
      .executeTakeFirst();
  }

  testingConnection(accountId: string) {
    return this.q
      .selectFrom('sso_connections')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('status', '=', 'testing')
      .orderBy('created_at', 'desc')
      .executeTakeFirst();
  }

  async insertConnection(row: Insertable<SsoConnectionsTable>) {
    await this.q.insertInto('sso_connections').values(row).execute();
  }

  /** Retires the account's connections in the given states (a new draft replaces the old one; activation replaces the active one). */
  async retireConnections(accountId: string, statuses: SsoConnectionsTable['status'][], at: Date) {
    await this.q
      .updateTable('sso_connections')
      .set({ status: 'retired', retired_at: at })
      .where('account_id', '=', accountId)
      .where('status', 'in', statuses)
      .execute();
  }

  /** Makes a connection under test the active one; false when it is no longer under test. */
  async activateConnection(connectionId: string, at: Date): Promise<boolean> {
    const result = await this.q
      .updateTable('sso_connections')
      .set({ status: 'active', activated_at: at })
      .where('id', '=', connectionId)
      .where('status', '=', 'testing')
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  async retireConnection(connectionId: string, at: Date) {
    await this.q
      .updateTable('sso_connections')
      .set({ status: 'retired', retired_at: at })
      .where('id', '=', connectionId)
      .execute();
  }

  async insertAttempt(row: Insertable<SsoAttemptsTable>) {
    await this.q.insertInto('sso_attempts').values(row).execute();
  }

  attemptByHandle(handleDigest: string) {
    return this.q
      .selectFrom('sso_attempts')
      .selectAll()
      .where('handle_digest', '=', handleDigest)
      .executeTakeFirst();
  }

  /** Uses an attempt exactly once: of two concurrent callbacks (or a replayed response), one wins. */
  async consumeAttempt(attemptId: string, at: Date): Promise<boolean> {
    const result = await this.q
      .updateTable('sso_attempts')
      .set({ used_at: at })
      .where('id', '=', attemptId)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  /** Attempts that ended long ago serve nothing: their handles are single use and expire in minutes. */
  async purgeAttempts(before: Date) {
    await this.q.deleteFrom('sso_attempts').where('expires_at', '<', before).execute();
  }
}
