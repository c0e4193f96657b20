import { sql } from 'kysely';
import { type Db, executor } from '../../db/database.js';
import type { Role } from '../../db/schema.js';

/** A posting's fall of one account's balance, and whether it crossed one of the operator's defaults. */
export interface Fall {
  accountId: string;
  beforeMicros: bigint;
  afterMicros: bigint;
  defaultCrossed: boolean;
}

/** An account a posting may have alerted: its own thresholds and where its alerts go. */
export interface AlertCandidate {
  account_id: string;
  thresholds_micros: bigint[];
  emails: string[];
  webhook: boolean;
}

/** Who an account's alert goes to and how it is named. */
export interface AlertTarget {
  id: string;
  auth_id: string;
  name: string;
  timezone: string;
  members: string[];
}

/** SQL of balance alerts: the settings table and the reads an alert needs. */
export class BalanceAlertStore {
  constructor(private readonly db: Db) {}

  async account(accountId: string) {
    return executor(this.db)
      .selectFrom('accounts')
      .select(['id', 'parent_account_id', 'currency', 'timezone'])
      .where('id', '=', accountId)
      .executeTakeFirst();
  }

  async settings(accountId: string) {
    return executor(this.db)
      .selectFrom('balance_alert_settings')
      .selectAll()
      .where('account_id', '=', accountId)
      .executeTakeFirst();
  }

  /** Writes the settings (the secret only when given: undefined keeps it, null removes it). */
  async save(
    accountId: string,
    settings: {
      thresholdsMicros: bigint[];
      emails: string[];
      webhookUrl: string | null;
      webhookSecretEncrypted?: string | null;
    },
  ) {
    const values = {
      thresholds_micros: sql<bigint[]>`${settings.thresholdsMicros.map(String)}::bigint[]`,
      emails: sql<string[]>`${settings.emails}::text[]`,
      webhook_url: settings.webhookUrl,
      ...(settings.webhookSecretEncrypted !== undefined
        ? { webhook_secret_encrypted: settings.webhookSecretEncrypted }
        : {}),
      updated_at: sql<Date>`now()`,
    };
    await executor(this.db)
      .insertInto('balance_alert_settings')
      .values({ account_id: accountId, ...values } as never)
      .onConflict((conflict) => conflict.column('account_id').doUpdateSet(values as never))
      .execute();
  }

  async setSecret(accountId: string, encrypted: string) {
    await executor(this.db)
      .updateTable('balance_alert_settings')
      .set({ webhook_secret_encrypted: encrypted, updated_at: sql<Date>`now()` })
      .where('account_id', '=', accountId)
      .execute();
  }

  /**
   * The hot path: one statement for all the falls of a posting. Answers the accounts that crossed a
   * default (known by the caller) or one of their own thresholds (threshold t is crossed when
   * before >= t > after), with their settings; none in the usual case.
   */
  async candidates(falls: readonly Fall[]): Promise<AlertCandidate[]> {
    const { rows } = await sql<AlertCandidate>`
      SELECT c.account_id, coalesce(s.thresholds_micros, '{}'::bigint[]) AS thresholds_micros,
             coalesce(s.emails, '{}'::text[]) AS emails,
             (s.webhook_url IS NOT NULL AND s.webhook_secret_encrypted IS NOT NULL) AS webhook
      FROM unnest(${falls.map((f) => f.accountId)}::uuid[], ${falls.map((f) => f.beforeMicros.toString())}::bigint[],
                  ${falls.map((f) => f.afterMicros.toString())}::bigint[], ${falls.map((f) => f.defaultCrossed)}::boolean[])
           AS c(account_id, before_micros, after_micros, default_crossed)
      LEFT JOIN balance_alert_settings s ON s.account_id = c.account_id
      WHERE c.default_crossed
         OR EXISTS (SELECT 1 FROM unnest(s.thresholds_micros) AS t(micros)
                    WHERE t.micros <= c.before_micros AND t.micros > c.after_micros)`.execute(
      executor(this.db),
    );
    return rows;
  }

  /** The accounts' names and their members of the given roles' email addresses (an alert's rare path). */
  async targets(accountIds: readonly string[], roles: readonly Role[]): Promise<AlertTarget[]> {
    const { rows } = await sql<AlertTarget>`
      SELECT a.id, a.auth_id, a.name, a.timezone,
             ARRAY(SELECT u.email FROM memberships m JOIN users u ON u.id = m.user_id
                   WHERE m.account_id = a.id AND m.role = ANY(${roles}::text[]) ORDER BY u.email) AS members
      FROM accounts a WHERE a.id = ANY(${accountIds}::uuid[])`.execute(executor(this.db));
    return rows;
  }

  /** The account's usage (its own and its subaccounts') on the local days from..to, in micro-units. */
  async usageBetween(accountId: string, from: string, to: string): Promise<bigint> {
    const row = await executor(this.db)
      .selectFrom('usage_daily')
      .select((eb) => eb.fn.sum<bigint | null>('amount_micros').as('sum'))
      .where('account_id', '=', accountId)
      .where('day', '>=', from)
      .where('day', '<=', to)
      .executeTakeFirst();
    return row?.sum === null || row?.sum === undefined ? 0n : BigInt(row.sum);
  }

  async webhookOf(accountId: string) {
    return executor(this.db)
      .selectFrom('balance_alert_settings')
      .select(['webhook_url', 'webhook_secret_encrypted'])
      .where('account_id', '=', accountId)
      .executeTakeFirst();
  }
}
