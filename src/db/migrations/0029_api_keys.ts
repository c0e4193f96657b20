import { type Kysely, sql } from 'kysely';

/**
 * Restricted API keys (src/modules/api-keys): besides its Auth Tokens, an account or subaccount has
 * keys its Owner and Admins create, each with a public `key_id` (SK + 18 letters and digits), a
 * secret kept as Auth Tokens are (encrypted, and found by its HMAC digest), the permissions it
 * grants (`{"full_access": true}` or resources with their actions), optional source CIDRs and
 * expiry, and when it was last used. A revoked key stays, for the audit trail and Logs > API.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE api_keys (
      id uuid PRIMARY KEY,
      account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      key_id text NOT NULL UNIQUE CHECK (key_id ~ '^SK[A-Z0-9]{18}$'),
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
      secret_encrypted text NOT NULL,
      secret_digest text NOT NULL UNIQUE,
      permissions jsonb NOT NULL,
      source_cidrs text[] NOT NULL DEFAULT '{}',
      expires_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      created_by uuid,
      last_used_at timestamptz,
      revoked_at timestamptz,
      revoked_by uuid
    );
    CREATE INDEX api_keys_of_account ON api_keys (account_id, created_at DESC);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE api_keys;`.execute(db);
}
