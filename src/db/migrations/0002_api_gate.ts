import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE accounts
      ADD COLUMN city text NOT NULL DEFAULT '',
      ADD COLUMN address text NOT NULL DEFAULT '',
      ADD COLUMN state text NOT NULL DEFAULT '',
      ADD COLUMN timezone text NOT NULL DEFAULT 'UTC',
      ADD COLUMN ip_whitelist_enabled boolean NOT NULL DEFAULT false;

    CREATE TABLE auth_tokens (
      id uuid PRIMARY KEY,
      account_id uuid NOT NULL REFERENCES accounts(id),
      token_encrypted text NOT NULL,
      token_digest text NOT NULL UNIQUE,
      created_at timestamptz NOT NULL DEFAULT now(),
      created_by uuid,
      last_used_at timestamptz,
      revoked_at timestamptz
    );
    CREATE INDEX auth_tokens_live ON auth_tokens (account_id) WHERE revoked_at IS NULL;

    CREATE TABLE ip_whitelist_entries (
      id uuid PRIMARY KEY,
      account_id uuid NOT NULL REFERENCES accounts(id),
      cidr text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      created_by uuid,
      UNIQUE (account_id, cidr)
    );

    CREATE TABLE rate_limits (
      account_id uuid NOT NULL REFERENCES accounts(id),
      rate_class text NOT NULL CHECK (rate_class IN ('standard','lookup','message')),
      requests_per_second integer NOT NULL CHECK (requests_per_second > 0),
      updated_by_staff uuid,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (account_id, rate_class)
    );

    CREATE TABLE api_requests (
      id bigserial PRIMARY KEY,
      account_id uuid NOT NULL,
      api_id uuid NOT NULL,
      method text NOT NULL,
      path text NOT NULL,
      status integer NOT NULL,
      ip text NOT NULL,
      duration_ms integer NOT NULL,
      created_at timestamptz NOT NULL
    );
    CREATE INDEX api_requests_by_account ON api_requests (account_id, created_at DESC);
    CREATE INDEX api_requests_by_time ON api_requests (created_at);
  `.execute(db);
}
