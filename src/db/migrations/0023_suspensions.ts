import { type Kysely, sql } from 'kysely';

/**
 * Suspensions (src/modules/accounts/suspensions.ts): one row per suspension of a main account, with
 * the reason and the details its members read, who suspended it, the members' request for
 * reinstatement, and how it ended (reinstated, or the account closed). At most one is current.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE account_suspensions (
      id uuid PRIMARY KEY,
      account_id uuid NOT NULL REFERENCES accounts(id),
      reason text NOT NULL CHECK (reason IN ('content_violation', 'payment_failure', 'compliance_issue', 'suspicious_activity')),
      details text NOT NULL,
      suspended_by text NOT NULL,
      suspended_at timestamptz NOT NULL,
      reinstatement_requested_at timestamptz,
      reinstatement_request text,
      ended_at timestamptz,
      ended_by text,
      end_note text
    );
    CREATE UNIQUE INDEX account_suspensions_current ON account_suspensions (account_id) WHERE ended_at IS NULL;
  `.execute(db);
}
