import { type Kysely, sql } from 'kysely';

/**
 * Passkeys (WebAuthn), for users and staff alike (src/modules/identity/passkeys.ts):
 * - `passkeys`: one per enrolled credential, owned by a user or a staff member (exactly one):
 *   its credential id and public key (COSE, base64url), the signature counter last seen (a
 *   replayed or cloned assertion does not raise it), its transports, the WebAuthn user handle
 *   it was created under (checked against the owner at a password-less sign-in), a name the
 *   person chose, and when it was added and last used.
 * - `passkey_challenges`: each ceremony's challenge, single use and short-lived, bound to the
 *   session that asked (enrolment, second factor) or, before there is a session (password-less
 *   sign-in), to the digest of a token held in the asking browser's cookie.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE passkeys (
      id uuid PRIMARY KEY,
      user_id uuid REFERENCES users(id) ON DELETE CASCADE,
      staff_id uuid REFERENCES staff_members(id) ON DELETE CASCADE,
      credential_id text NOT NULL UNIQUE,
      public_key text NOT NULL,
      counter bigint NOT NULL DEFAULT 0,
      transports jsonb NOT NULL DEFAULT '[]',
      user_handle text NOT NULL,
      name text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      last_used_at timestamptz,
      CHECK ((user_id IS NULL) <> (staff_id IS NULL))
    );
    CREATE INDEX passkeys_by_user ON passkeys (user_id) WHERE user_id IS NOT NULL;
    CREATE INDEX passkeys_by_staff ON passkeys (staff_id) WHERE staff_id IS NOT NULL;

    CREATE TABLE passkey_challenges (
      id uuid PRIMARY KEY,
      principal text NOT NULL CHECK (principal IN ('user', 'staff')),
      purpose text NOT NULL CHECK (purpose IN ('enrol', 'second_factor', 'sign_in')),
      session_id uuid REFERENCES sessions(id) ON DELETE CASCADE,
      browser_digest text,
      challenge text NOT NULL,
      expires_at timestamptz NOT NULL,
      used_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((session_id IS NULL) <> (browser_digest IS NULL))
    );
    CREATE INDEX passkey_challenges_by_session ON passkey_challenges (session_id, purpose)
      WHERE session_id IS NOT NULL;
    CREATE INDEX passkey_challenges_by_browser ON passkey_challenges (browser_digest)
      WHERE browser_digest IS NOT NULL;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE passkey_challenges; DROP TABLE passkeys;`.execute(db);
}
