import { sql, type Updateable } from 'kysely';
import { type Db, executor } from '../../db/database.js';
import type { Role, UsersTable } from '../../db/schema.js';

export type UserRow = Awaited<ReturnType<IdentityStore['userById']>>;

/** SQL for users, memberships, recovery codes and known devices. */
export class IdentityStore {
  constructor(private readonly db: Db) {}

  private get q() {
    return executor(this.db);
  }

  /** A user with whether they have a passkey (one of their second factors). */
  private get users() {
    return this.q
      .selectFrom('users')
      .selectAll('users')
      .select((eb) =>
        eb
          .exists(
            eb.selectFrom('passkeys').select('passkeys.id').whereRef('passkeys.user_id', '=', 'users.id'),
          )
          .as('has_passkey'),
      );
  }

  async userByEmail(email: string) {
    return this.users.where('email', '=', email).executeTakeFirst();
  }

  async userById(id: string) {
    return this.users.where('id', '=', id).executeTakeFirstOrThrow();
  }

  async insertUser(user: { id: string; email: string; name: string; password_hash: string }) {
    await this.q.insertInto('users').values(user).execute();
  }

  async updateUser(id: string, changes: Updateable<UsersTable>) {
    await this.q.updateTable('users').set(changes).where('id', '=', id).execute();
  }

  /** Records a TOTP step as used; false when that step (or a later one) was already used. */
  async claimTotpStep(userId: string, step: bigint): Promise<boolean> {
    const result = await this.q
      .updateTable('users')
      .set({ totp_last_step: step })
      .where('id', '=', userId)
      .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  async insertMembership(accountId: string, userId: string, role: Role) {
    await this.q.insertInto('memberships').values({ account_id: accountId, user_id: userId, role }).execute();
  }

  /**
   * The time zone a message to this user speaks in: the account they act in, else the one account
   * they belong to (or the one zone all theirs share); UTC otherwise.
   */
  async timeZoneFor(userId: string, accountId: string | null): Promise<string> {
    const zones = await this.q
      .selectFrom('memberships')
      .innerJoin('accounts', 'accounts.id', 'memberships.account_id')
      .select('accounts.timezone')
      .distinct()
      .where('memberships.user_id', '=', userId)
      .$if(accountId !== null, (query) => query.where('accounts.id', '=', accountId as string))
      .execute();
    return zones.length === 1 ? (zones[0]?.timezone ?? 'UTC') : 'UTC';
  }

  async membershipsOf(userId: string) {
    return this.q
      .selectFrom('memberships')
      .innerJoin('accounts', 'accounts.id', 'memberships.account_id')
      .select([
        'accounts.id as accountId',
        'accounts.name',
        'accounts.auth_id as authId',
        'accounts.status',
        'memberships.role',
      ])
      .where('memberships.user_id', '=', userId)
      .where('accounts.status', '!=', 'closed')
      .orderBy('memberships.created_at')
      .execute();
  }

  /** Whether the user was a member of an account that is closed now. */
  async wasMemberOfClosedAccount(userId: string): Promise<boolean> {
    const row = await this.q
      .selectFrom('memberships')
      .innerJoin('accounts', 'accounts.id', 'memberships.account_id')
      .select('accounts.id')
      .where('memberships.user_id', '=', userId)
      .where('accounts.status', '=', 'closed')
      .executeTakeFirst();
    return row !== undefined;
  }

  async replaceRecoveryCodes(userId: string, rows: { id: string; code_digest: string }[]) {
    await this.q.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
    await this.q
      .insertInto('recovery_codes')
      .values(rows.map((row) => ({ ...row, user_id: userId })))
      .execute();
  }

  /** Uses one recovery code; false when it is unknown or already used. */
  async consumeRecoveryCode(userId: string, digest: string, at: Date): Promise<boolean> {
    const result = await this.q
      .updateTable('recovery_codes')
      .set({ used_at: at })
      .where('user_id', '=', userId)
      .where('code_digest', '=', digest)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  async recoveryCodesLeft(userId: string): Promise<number> {
    const row = await this.q
      .selectFrom('recovery_codes')
      .select(sql<number>`count(*)::int`.as('left'))
      .where('user_id', '=', userId)
      .where('used_at', 'is', null)
      .executeTakeFirstOrThrow();
    return row.left;
  }

  /** Remembers a browser; true when it had not been seen for this user before. */
  async rememberDevice(userId: string, deviceDigest: string, at: Date): Promise<boolean> {
    const inserted = await this.q
      .insertInto('known_devices')
      .values({ user_id: userId, device_digest: deviceDigest, last_seen_at: at })
      .onConflict((oc) => oc.columns(['user_id', 'device_digest']).doUpdateSet({ last_seen_at: at }))
      .returning(sql<boolean>`xmax = 0`.as('inserted'))
      .executeTakeFirstOrThrow();
    return inserted.inserted;
  }
}
