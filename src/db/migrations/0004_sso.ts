import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE sso_settings (
      account_id uuid PRIMARY KEY REFERENCES accounts(id),
      enabled_at timestamptz,
      enabled_by_staff uuid REFERENCES staff_members(id),
      require_sso boolean NOT NULL DEFAULT false,
      jit_role text CHECK (jit_role IN ('admin','developer','support','financial_analyst')),
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE sso_connections (
      id uuid PRIMARY KEY,
      account_id uuid NOT NULL REFERENCES accounts(id),
      protocol text NOT NULL CHECK (protocol IN ('oidc','saml')),
      status text NOT NULL CHECK (status IN ('testing','active','retired')),
      oidc_issuer text,
      oidc_client_id text,
      oidc_client_secret_encrypted text,
      saml_entity_id text,
      saml_sso_url text,
      saml_certificates text,
      saml_metadata_url text,
      created_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      activated_at timestamptz,
      retired_at timestamptz
    );
    CREATE UNIQUE INDEX one_active_sso_connection ON sso_connections (account_id) WHERE status = 'active';
    CREATE INDEX sso_connections_by_account ON sso_connections (account_id, status);

    CREATE TABLE sso_attempts (
      id uuid PRIMARY KEY,
      account_id uuid NOT NULL REFERENCES accounts(id),
      connection_id uuid NOT NULL REFERENCES sso_connections(id),
      purpose text NOT NULL CHECK (purpose IN ('sign_in','test')),
      handle_digest text NOT NULL UNIQUE,
      browser_digest text NOT NULL,
      saml_request_id text,
      oidc_nonce text,
      oidc_code_verifier_encrypted text,
      requested_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      used_at timestamptz
    );
  `.execute(db);
}
