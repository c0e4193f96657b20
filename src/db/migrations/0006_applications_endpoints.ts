import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE applications (
      id uuid PRIMARY KEY,
      app_id text NOT NULL UNIQUE,
      account_id uuid NOT NULL REFERENCES accounts(id),
      subaccount_id uuid REFERENCES accounts(id),
      app_name text NOT NULL,
      answer_url text NOT NULL DEFAULT '',
      answer_method text NOT NULL DEFAULT 'POST',
      hangup_url text NOT NULL DEFAULT '',
      hangup_method text NOT NULL DEFAULT 'POST',
      fallback_answer_url text NOT NULL DEFAULT '',
      fallback_method text NOT NULL DEFAULT 'POST',
      message_url text NOT NULL DEFAULT '',
      message_method text NOT NULL DEFAULT 'POST',
      default_number_app boolean NOT NULL DEFAULT false,
      default_endpoint_app boolean NOT NULL DEFAULT false,
      log_incoming_messages boolean NOT NULL DEFAULT true,
      public_uri boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX applications_by_account ON applications (account_id, created_at);

    CREATE TABLE endpoints (
      id uuid PRIMARY KEY,
      endpoint_id text NOT NULL UNIQUE,
      account_id uuid NOT NULL REFERENCES accounts(id),
      subaccount_id uuid REFERENCES accounts(id),
      application_id uuid REFERENCES applications(id),
      username text NOT NULL UNIQUE,
      alias text NOT NULL,
      sip_ha1_encrypted text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX endpoints_by_account ON endpoints (account_id, created_at);
  `.execute(db);
}
