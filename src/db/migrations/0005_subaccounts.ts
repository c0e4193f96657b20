import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE accounts
      ADD COLUMN parent_account_id uuid REFERENCES accounts(id),
      ADD COLUMN enabled boolean NOT NULL DEFAULT true,
      ADD COLUMN modified_at timestamptz,
      ADD COLUMN deleted_at timestamptz;
    CREATE INDEX accounts_by_parent ON accounts (parent_account_id, created_at) WHERE parent_account_id IS NOT NULL;
  `.execute(db);
}
