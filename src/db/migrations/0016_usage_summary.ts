import { type Kysely, sql } from 'kysely';

/**
 * Usage Summary (src/modules/billing/usage-summary.ts):
 * - `memberships.usage_summary_email`: the member asked for the daily usage summary email.
 * - `usage_summary_emails`: the (account, local day) summaries sent; its key is the claim that makes
 *   the email go once per account and day, however many instances run the hourly job.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE memberships ADD COLUMN usage_summary_email boolean NOT NULL DEFAULT false;

    CREATE TABLE usage_summary_emails (
      account_id uuid NOT NULL REFERENCES accounts(id),
      day date NOT NULL,
      recipients integer NOT NULL,
      sent_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (account_id, day)
    );
  `.execute(db);
}
