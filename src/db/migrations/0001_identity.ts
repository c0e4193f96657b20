import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE accounts (
      id uuid PRIMARY KEY,
      auth_id text NOT NULL UNIQUE,
      name text NOT NULL,
      status text NOT NULL CHECK (status IN ('pending_verification','under_review','active','rejected','suspended','closed')),
      review_reason text,
      review_note text,
      company_name text,
      website text,
      country text,
      intended_use text,
      signup_ip text,
      created_at timestamptz NOT NULL DEFAULT now(),
      activated_at timestamptz,
      reviewed_at timestamptz
    );
    CREATE INDEX accounts_review_queue ON accounts (created_at) WHERE status = 'under_review';

    CREATE TABLE users (
      id uuid PRIMARY KEY,
      email text NOT NULL UNIQUE,
      name text NOT NULL,
      password_hash text NOT NULL,
      email_verified_at timestamptz,
      phone_e164 text,
      phone_verified_at timestamptz,
      phone_factor_enabled boolean NOT NULL DEFAULT false,
      totp_secret_encrypted text,
      totp_enabled_at timestamptz,
      totp_last_step bigint,
      created_at timestamptz NOT NULL DEFAULT now(),
      password_changed_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE memberships (
      account_id uuid NOT NULL REFERENCES accounts(id),
      user_id uuid NOT NULL REFERENCES users(id),
      role text NOT NULL CHECK (role IN ('owner','admin','developer','support','financial_analyst')),
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (account_id, user_id)
    );
    CREATE INDEX memberships_by_user ON memberships (user_id);
    CREATE UNIQUE INDEX one_owner_per_account ON memberships (account_id) WHERE role = 'owner';

    CREATE TABLE recovery_codes (
      id uuid PRIMARY KEY,
      user_id uuid NOT NULL REFERENCES users(id),
      code_digest text NOT NULL,
      used_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX recovery_codes_by_user ON recovery_codes (user_id);

    CREATE TABLE staff_members (
      id uuid PRIMARY KEY,
      email text NOT NULL UNIQUE,
      name text NOT NULL,
      role text NOT NULL CHECK (role IN ('staff_admin','agent')),
      password_hash text,
      totp_secret_encrypted text,
      totp_enabled_at timestamptz,
      totp_last_step bigint,
      created_at timestamptz NOT NULL DEFAULT now(),
      disabled_at timestamptz
    );

    CREATE TABLE flows (
      id uuid PRIMARY KEY,
      purpose text NOT NULL,
      user_id uuid REFERENCES users(id),
      staff_id uuid REFERENCES staff_members(id),
      token_digest text UNIQUE,
      code_digest text,
      data jsonb NOT NULL DEFAULT '{}',
      state text NOT NULL DEFAULT 'started',
      attempts integer NOT NULL DEFAULT 0,
      max_attempts integer NOT NULL DEFAULT 5,
      sent_count integer NOT NULL DEFAULT 0,
      last_sent_at timestamptz,
      expires_at timestamptz NOT NULL,
      used_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX flows_by_user ON flows (user_id, purpose);
    CREATE INDEX flows_by_staff ON flows (staff_id, purpose);

    CREATE TABLE sessions (
      id uuid PRIMARY KEY,
      token_digest text NOT NULL UNIQUE,
      principal text NOT NULL CHECK (principal IN ('user','staff')),
      user_id uuid REFERENCES users(id),
      staff_id uuid REFERENCES staff_members(id),
      account_id uuid REFERENCES accounts(id),
      stage text NOT NULL CHECK (stage IN ('onboarding','second_factor','full')),
      csrf_token text NOT NULL,
      ip text,
      user_agent text,
      created_at timestamptz NOT NULL DEFAULT now(),
      last_seen_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      reauthenticated_at timestamptz,
      revoked_at timestamptz
    );
    CREATE INDEX sessions_by_user ON sessions (user_id) WHERE revoked_at IS NULL;
    CREATE INDEX sessions_by_staff ON sessions (staff_id) WHERE revoked_at IS NULL;

    CREATE TABLE known_devices (
      user_id uuid NOT NULL REFERENCES users(id),
      device_digest text NOT NULL,
      first_seen_at timestamptz NOT NULL DEFAULT now(),
      last_seen_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (user_id, device_digest)
    );

    CREATE TABLE audit_events (
      id bigserial PRIMARY KEY,
      account_id uuid,
      user_id uuid,
      staff_id uuid,
      action text NOT NULL,
      ip text,
      user_agent text,
      details jsonb NOT NULL DEFAULT '{}',
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX audit_events_by_account ON audit_events (account_id, created_at DESC);
    CREATE INDEX audit_events_by_user ON audit_events (user_id, action, created_at DESC);

    CREATE TABLE outbox_messages (
      id bigserial PRIMARY KEY,
      channel text NOT NULL CHECK (channel IN ('email','sms','voice')),
      recipient text NOT NULL,
      subject text NOT NULL,
      body_encrypted text NOT NULL,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','sent','failed')),
      attempts integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL DEFAULT now(),
      last_error text,
      created_at timestamptz NOT NULL DEFAULT now(),
      sent_at timestamptz,
      purge_after timestamptz
    );
    CREATE INDEX outbox_pending ON outbox_messages (next_attempt_at) WHERE status = 'pending';
  `.execute(db);
}
