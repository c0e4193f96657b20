import { sql } from 'kysely';
import { type Db, executor } from '../../db/database.js';

/**
 * SQL of account security: the activity columns of accounts (migration 0022), and the reads the
 * review after "Secure my account" needs from the audit trail.
 */
export class AccountSecurityStore {
  constructor(private readonly db: Db) {}

  private get q() {
    return executor(this.db);
  }

  /** A main account's subaccounts (deleted ones excluded). */
  async subaccountIds(mainAccountId: string): Promise<string[]> {
    const rows = await this.q
      .selectFrom('accounts')
      .select('id')
      .where('parent_account_id', '=', mainAccountId)
      .where('deleted_at', 'is', null)
      .orderBy('created_at')
      .execute();
    return rows.map((r) => r.id);
  }

  /** Members' sign-ins into the account since a moment, newest first. */
  signIns(accountId: string, since: Date, limit: number) {
    return this.q
      .selectFrom('audit_events as e')
      .leftJoin('users as u', 'u.id', 'e.user_id')
      .select(['e.created_at as at', 'e.ip', 'e.user_agent as userAgent', 'u.email', 'e.details'])
      .where('e.account_id', '=', accountId)
      .where('e.action', '=', 'user.signed_in')
      .where('e.created_at', '>=', since)
      .orderBy('e.created_at', 'desc')
      .limit(limit)
      .execute();
  }

  /** Team changes (invitations, joins, role changes, removals) since a moment, newest first. */
  teamChanges(accountId: string, since: Date, limit: number) {
    return this.q
      .selectFrom('audit_events as e')
      .leftJoin('users as u', 'u.id', 'e.user_id')
      .select(['e.created_at as at', 'e.action', 'u.email as byEmail', 'e.details'])
      .where('e.account_id', '=', accountId)
      .where('e.action', 'like', 'team.%')
      .where('e.created_at', '>=', since)
      .orderBy('e.created_at', 'desc')
      .limit(limit)
      .execute();
  }

  /** Sign-in or API use (a subaccount's counts for its main account): the policy's clock starts again. */
  async touch(accountIds: readonly string[], at: Date): Promise<void> {
    if (accountIds.length === 0) return;
    // Rows locked in id order, as credit decisions lock them, so the two never wait on each other in a cycle.
    await sql`
      UPDATE accounts a SET last_active_at = ${at}, inactivity_warned_at = NULL
      FROM (
        SELECT id FROM accounts
        WHERE id IN (
          SELECT COALESCE(parent_account_id, id) FROM accounts WHERE id = ANY(${[...accountIds]}::uuid[])
        ) AND (last_active_at IS NULL OR last_active_at < ${at})
        ORDER BY id FOR NO KEY UPDATE
      ) due
      WHERE a.id = due.id`.execute(this.q);
  }

  /** Main accounts with a stored payment method, inactive since before `before` and not yet warned. */
  toWarn(before: Date, limit: number) {
    return this.q
      .selectFrom('accounts as a')
      .select(['a.id', 'a.name', 'a.last_active_at'])
      .where('a.parent_account_id', 'is', null)
      .where('a.status', 'not in', ['closed'])
      .where('a.inactivity_warned_at', 'is', null)
      .where(sql<boolean>`COALESCE(a.last_active_at, a.created_at) < ${before}`)
      .where(({ exists, selectFrom }) =>
        exists(
          selectFrom('payment_methods as m')
            .select('m.id')
            .whereRef('m.account_id', '=', 'a.id')
            .where('m.removed_at', 'is', null),
        ),
      )
      .orderBy('a.id')
      .limit(limit)
      .execute();
  }

  /** Accounts warned before `before`, still inactive since the warning, still holding a payment method. */
  toClear(before: Date, limit: number) {
    return this.q
      .selectFrom('accounts as a')
      .select(['a.id', 'a.name'])
      .where('a.parent_account_id', 'is', null)
      .where('a.inactivity_warned_at', '<', before)
      .where(({ exists, selectFrom }) =>
        exists(
          selectFrom('payment_methods as m')
            .select('m.id')
            .whereRef('m.account_id', '=', 'a.id')
            .where('m.removed_at', 'is', null),
        ),
      )
      .orderBy('a.id')
      .limit(limit)
      .execute();
  }

  /** Marks the warning sent, unless the account came back meanwhile; true when this call marked it. */
  async markWarned(accountId: string, before: Date, at: Date): Promise<boolean> {
    const rows = await this.q
      .updateTable('accounts')
      .set({ inactivity_warned_at: at })
      .where('id', '=', accountId)
      .where('inactivity_warned_at', 'is', null)
      .where(sql<boolean>`COALESCE(last_active_at, created_at) < ${before}`)
      .returning('id')
      .execute();
    return rows.length > 0;
  }

  /**
   * Flags a warned account for staff, unless it came back or was flagged since its warning; true
   * when this call flagged it. The row lock makes a concurrent run wait, then find nothing to do.
   */
  async claimFlag(accountId: string, warnedBefore: Date, at: Date): Promise<boolean> {
    const rows = await this.q
      .updateTable('accounts')
      .set({ inactivity_flagged_at: at })
      .where('id', '=', accountId)
      .where('inactivity_warned_at', '<', warnedBefore)
      .where((eb) =>
        eb.or([
          eb('inactivity_flagged_at', 'is', null),
          eb('inactivity_flagged_at', '<', eb.ref('inactivity_warned_at')),
        ]),
      )
      .returning('id')
      .execute();
    return rows.length > 0;
  }

  async storedMethodIds(accountId: string): Promise<string[]> {
    const rows = await this.q
      .selectFrom('payment_methods')
      .select('id')
      .where('account_id', '=', accountId)
      .where('removed_at', 'is', null)
      .execute();
    return rows.map((r) => r.id);
  }

  activity(accountId: string) {
    return this.q
      .selectFrom('accounts')
      .select(['last_active_at', 'created_at', 'inactivity_warned_at', 'inactivity_flagged_at'])
      .where('id', '=', accountId)
      .executeTakeFirst();
  }

  /** The Owner and Admins: who the policy's emails go to. */
  contacts(accountId: string) {
    return this.q
      .selectFrom('memberships')
      .innerJoin('users', 'users.id', 'memberships.user_id')
      .select(['users.email', 'users.name', 'memberships.role'])
      .where('memberships.account_id', '=', accountId)
      .where('memberships.role', 'in', ['owner', 'admin'])
      .orderBy('users.email')
      .execute();
  }
}
