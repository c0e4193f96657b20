import { type Kysely, sql } from 'kysely';

/**
 * Balance alerts (src/modules/billing/balance-alerts.ts): a main account's own settings. The
 * operator's default thresholds are a setting (BALANCE_ALERT_THRESHOLDS), not rows; an account
 * without a row has the defaults only. No per-threshold state: a crossing is read from the
 * posting's balance before and after, under the posting's lock on the balance row.
 * - `thresholds_micros`: up to 3 custom thresholds (micro-units of the account's currency).
 * - `emails`: up to 5 more addresses the alerts go to, besides the billing members.
 * - `webhook_url`, `webhook_secret_encrypted`: where each alert is also POSTed, signed with the
 *   secret (encrypted with the server key: it must be read back to sign).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE balance_alert_settings (
      account_id uuid PRIMARY KEY REFERENCES accounts(id),
      thresholds_micros bigint[] NOT NULL DEFAULT '{}' CHECK (cardinality(thresholds_micros) <= 3),
      emails text[] NOT NULL DEFAULT '{}' CHECK (cardinality(emails) <= 5),
      webhook_url text CHECK (length(webhook_url) <= 2000),
      webhook_secret_encrypted text,
      updated_at timestamptz NOT NULL DEFAULT now()
    );
  `.execute(db);
}
