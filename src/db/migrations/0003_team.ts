import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE invitations (
      id uuid PRIMARY KEY,
      account_id uuid NOT NULL REFERENCES accounts(id),
      email text NOT NULL,
      token_digest text NOT NULL UNIQUE,
      role text NOT NULL CHECK (role IN ('admin','developer','support','financial_analyst')),
      invited_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      last_sent_at timestamptz NOT NULL DEFAULT now(),
      accepted_at timestamptz,
      revoked_at timestamptz
    );
    CREATE UNIQUE INDEX one_pending_invitation ON invitations (account_id, email) WHERE accepted_at IS NULL AND revoked_at IS NULL;
  `.execute(db);
}
