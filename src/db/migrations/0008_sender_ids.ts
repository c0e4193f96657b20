import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE sender_ids (
      id uuid PRIMARY KEY,
      subaccount_id uuid NOT NULL REFERENCES accounts(id),
      sender_id text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('alphanumeric','number')),
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (subaccount_id, sender_id)
    );
  `.execute(db);
}
