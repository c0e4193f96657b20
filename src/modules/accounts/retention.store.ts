import { type Db, type Executor, executor } from '../../db/database.js';
import { permitAuditPurge } from '../audit/store.js';

/** A closed main account whose retention has run out: when it closed. */
export interface DueAccount {
  id: string;
  closedAt: Date;
}

/** What replaces a purged account's name: nothing of the customer's. */
export const PURGED_ACCOUNT_NAME = 'Closed account';

/**
 * SQL for deleting a closed account's records after the retention. Every table that refers to an
 * account (main or subaccount) is named here once, in an order its foreign keys accept: a child
 * before its parent (attachments, messages, links, tickets; refunds, auto-recharge and payments
 * before payment methods; SSO attempts before connections; endpoints before applications).
 */
export class RetentionStore {
  constructor(private readonly db: Db) {}

  private get q(): Executor {
    return executor(this.db);
  }

  /** Main accounts closed before `closedBefore` and not yet purged, oldest first. */
  async due(closedBefore: Date, limit: number): Promise<DueAccount[]> {
    const rows = await this.q
      .selectFrom('accounts')
      .select(['id', 'closed_at'])
      .where('status', '=', 'closed')
      .where('parent_account_id', 'is', null)
      .where('purged_at', 'is', null)
      .where('closed_at', '<', closedBefore)
      .orderBy('closed_at')
      .limit(limit)
      .execute();
    return rows.map((row) => ({ id: row.id, closedAt: row.closed_at as Date }));
  }

  /**
   * Locks the account for its purge; false when another run purged it meanwhile. The operator's
   * invoice counter is locked first (issuing an invoice locks it, then the account's row for its
   * key): an invoice of the account being computed meanwhile is either stored before the purge
   * deletes it, or finds the account purged and is not issued.
   */
  async claim(accountId: string, closedBefore: Date): Promise<boolean> {
    await this.q.selectFrom('invoice_counters').select('sequence').forUpdate().execute();
    const row = await this.q
      .selectFrom('accounts')
      .select('id')
      .where('id', '=', accountId)
      .where('status', '=', 'closed')
      .where('purged_at', 'is', null)
      .where('closed_at', '<', closedBefore)
      .forUpdate()
      .executeTakeFirst();
    return row !== undefined;
  }

  /** The main account and its subaccounts (deleted ones too). */
  async family(accountId: string): Promise<string[]> {
    const rows = await this.q
      .selectFrom('accounts')
      .select('id')
      .where((eb) => eb.or([eb('id', '=', accountId), eb('parent_account_id', '=', accountId)]))
      .execute();
    return rows.map((row) => row.id);
  }

  async memberUserIds(ids: readonly string[]): Promise<string[]> {
    const rows = await this.q
      .selectFrom('memberships')
      .select('user_id')
      .distinct()
      .where('account_id', 'in', [...ids])
      .execute();
    return rows.map((row) => row.user_id);
  }

  /** Deletes every row of the accounts `ids`; answers how many of each kind went. */
  async deleteRecordsOf(ids: readonly string[]): Promise<Record<string, number>> {
    const q = this.q;
    const of = [...ids];
    const tickets = q.selectFrom('support_tickets').select('id').where('account_id', 'in', of);
    const messages = q.selectFrom('support_messages').select('id').where('ticket_id', 'in', tickets);
    const removed: Record<string, number> = {};
    const count = async (
      what: string,
      query: { executeTakeFirst(): Promise<{ numDeletedRows: bigint }> },
    ) => {
      removed[what] = Number((await query.executeTakeFirst()).numDeletedRows);
    };
    await count(
      'supportAttachments',
      q.deleteFrom('support_attachments').where('message_id', 'in', messages),
    );
    await count('supportMessages', q.deleteFrom('support_messages').where('ticket_id', 'in', tickets));
    await count('supportAccessLinks', q.deleteFrom('support_access_links').where('ticket_id', 'in', tickets));
    await count('supportTickets', q.deleteFrom('support_tickets').where('account_id', 'in', of));
    await count('refunds', q.deleteFrom('refunds').where('account_id', 'in', of));
    await count('autoRechargeSettings', q.deleteFrom('auto_recharge_settings').where('account_id', 'in', of));
    await count('payments', q.deleteFrom('payments').where('account_id', 'in', of));
    await count('paymentMethods', q.deleteFrom('payment_methods').where('account_id', 'in', of));
    await count('paymentCustomers', q.deleteFrom('payment_customers').where('account_id', 'in', of));
    await count('invoices', q.deleteFrom('invoices').where('account_id', 'in', of));
    await count(
      'ledgerEntries',
      q
        .deleteFrom('ledger_entries')
        .where((eb) => eb.or([eb('account_id', 'in', of), eb('subaccount_id', 'in', of)])),
    );
    await count('owedRentals', q.deleteFrom('owed_rentals').where('account_id', 'in', of));
    await count('usageRecords', q.deleteFrom('usage_records').where('account_id', 'in', of));
    await count('usageDaily', q.deleteFrom('usage_daily').where('account_id', 'in', of));
    await count('usageSummaryEmails', q.deleteFrom('usage_summary_emails').where('account_id', 'in', of));
    await count('balanceAlertSettings', q.deleteFrom('balance_alert_settings').where('account_id', 'in', of));
    await count('creditSessions', q.deleteFrom('credit_sessions').where('account_id', 'in', of));
    await count('creditLimits', q.deleteFrom('credit_limits').where('account_id', 'in', of));
    await count('spendCapAlerts', q.deleteFrom('spend_cap_alerts').where('subaccount_id', 'in', of));
    await count('suspensions', q.deleteFrom('account_suspensions').where('account_id', 'in', of));
    await count(
      'suspiciousActivityFlags',
      q.deleteFrom('suspicious_activity_flags').where('account_id', 'in', of),
    );
    await count('senderIds', q.deleteFrom('sender_ids').where('subaccount_id', 'in', of));
    await count('endpoints', q.deleteFrom('endpoints').where('account_id', 'in', of));
    await count('applications', q.deleteFrom('applications').where('account_id', 'in', of));
    await count('authTokens', q.deleteFrom('auth_tokens').where('account_id', 'in', of));
    await count('ipWhitelistEntries', q.deleteFrom('ip_whitelist_entries').where('account_id', 'in', of));
    await count('rateLimits', q.deleteFrom('rate_limits').where('account_id', 'in', of));
    await count('apiRequestBatches', q.deleteFrom('api_request_batches').where('account_id', 'in', of));
    await count('apiAuthFailures', q.deleteFrom('api_auth_failures').where('account_id', 'in', of));
    await count('invitations', q.deleteFrom('invitations').where('account_id', 'in', of));
    await count('ssoAttempts', q.deleteFrom('sso_attempts').where('account_id', 'in', of));
    await count('ssoConnections', q.deleteFrom('sso_connections').where('account_id', 'in', of));
    await count('ssoSettings', q.deleteFrom('sso_settings').where('account_id', 'in', of));
    await count('sessions', q.deleteFrom('sessions').where('account_id', 'in', of));
    await count('auditWebhooks', q.deleteFrom('audit_webhooks').where('account_id', 'in', of));
    await permitAuditPurge(q);
    await count('auditEvents', q.deleteFrom('audit_events').where('account_id', 'in', of));
    await count('memberships', q.deleteFrom('memberships').where('account_id', 'in', of));
    return removed;
  }

  /** Of these users, those who belong to no account any more. */
  async withoutAccount(userIds: readonly string[]): Promise<string[]> {
    if (userIds.length === 0) return [];
    const rows = await this.q
      .selectFrom('users as u')
      .select('u.id')
      .where('u.id', 'in', [...userIds])
      .where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom('memberships as m').select('m.user_id').whereRef('m.user_id', '=', 'u.id'))),
      )
      .execute();
    return rows.map((row) => row.id);
  }

  /** Deletes what is the user's alone: sessions, known devices, recovery codes, passkeys, flows, their own audit events. */
  async deletePersonalRecordsOf(userId: string): Promise<void> {
    const q = this.q;
    await q.deleteFrom('sessions').where('user_id', '=', userId).execute();
    await q.deleteFrom('passkeys').where('user_id', '=', userId).execute();
    await q.deleteFrom('known_devices').where('user_id', '=', userId).execute();
    await q.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
    await q.deleteFrom('flows').where('user_id', '=', userId).execute();
    await permitAuditPurge(q);
    await q
      .deleteFrom('audit_events')
      .where('user_id', '=', userId)
      .where('account_id', 'is', null)
      .execute();
  }

  /** Whether another account's records still name the user (its audit trail, tickets, invitations, SSO). */
  async stillNamed(userId: string): Promise<boolean> {
    const q = this.q;
    const references = [
      () => q.selectFrom('audit_events').select('id').where('user_id', '=', userId).limit(1),
      () => q.selectFrom('support_tickets').select('id').where('user_id', '=', userId).limit(1),
      () => q.selectFrom('support_messages').select('id').where('user_id', '=', userId).limit(1),
      () => q.selectFrom('invitations').select('id').where('invited_by', '=', userId).limit(1),
      () => q.selectFrom('sso_connections').select('id').where('created_by', '=', userId).limit(1),
      () => q.selectFrom('sso_attempts').select('id').where('requested_by', '=', userId).limit(1),
    ];
    for (const reference of references) if (await reference().executeTakeFirst()) return true;
    return false;
  }

  async deleteUser(userId: string): Promise<void> {
    await this.q.deleteFrom('users').where('id', '=', userId).execute();
  }

  /** Keeps the row others point at, with nothing personal and no way to sign in. */
  async anonymizeUser(userId: string): Promise<void> {
    await this.q
      .updateTable('users')
      .set({
        email: `purged-${userId}@invalid`,
        name: 'Former member',
        password_hash: '',
        email_verified_at: null,
        phone_e164: null,
        phone_verified_at: null,
        phone_factor_enabled: false,
        totp_secret_encrypted: null,
        totp_enabled_at: null,
        totp_last_step: null,
      })
      .where('id', '=', userId)
      .execute();
  }

  /** The accounts rows stay (their Auth IDs are never reused) with no personal field and no balance. */
  async emptyAccounts(ids: readonly string[], at: Date): Promise<void> {
    await this.q
      .updateTable('accounts')
      .set({
        name: PURGED_ACCOUNT_NAME,
        company_name: null,
        website: null,
        country: null,
        intended_use: null,
        signup_ip: null,
        review_note: null,
        address: '',
        city: '',
        state: '',
        balance_micros: 0n,
        held_micros: 0n,
        purged_at: at,
      })
      .where('id', 'in', [...ids])
      .execute();
  }
}
