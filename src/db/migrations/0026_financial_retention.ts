import { type Kysely, sql } from 'kysely';

/**
 * Closed accounts after the operator's retention (src/modules/accounts/retention.ts): once a closed
 * account's ledger, invoices and audit trail have been kept for FINANCIAL_RETENTION_YEARS, they and
 * what personal data remained are deleted. The accounts rows stay (an Auth ID is never reused),
 * emptied of personal fields; `purged_at` says when, so the job takes each account once.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE accounts ADD COLUMN purged_at timestamptz;
    CREATE INDEX accounts_closed_unpurged ON accounts (closed_at)
      WHERE status = 'closed' AND purged_at IS NULL AND parent_account_id IS NULL;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP INDEX accounts_closed_unpurged;
    ALTER TABLE accounts DROP COLUMN purged_at;
  `.execute(db);
}
