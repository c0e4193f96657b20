import { type Kysely, sql } from 'kysely';

/**
 * Account security (src/modules/account-security):
 * - `users.must_change_password`: set by "Secure my account"; the next sign-in stops at a new
 *   session stage, `password_change`, until the person sets a new password.
 * - `accounts.last_active_at`: the last sign-in or API use (written at sign-in, and per account
 *   by the request log's flush); the inactive account policy counts from it.
 * - `accounts.inactivity_warned_at` / `inactivity_flagged_at`: the policy's warning, and the
 *   removal of stored payment methods that flags the account for staff; cleared by activity.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE users ADD COLUMN must_change_password boolean NOT NULL DEFAULT false;

    ALTER TABLE sessions DROP CONSTRAINT IF EXISTS sessions_stage_check;
    ALTER TABLE sessions ADD CONSTRAINT sessions_stage_check
      CHECK (stage IN ('onboarding','second_factor','password_change','full'));

    ALTER TABLE accounts ADD COLUMN last_active_at timestamptz;
    ALTER TABLE accounts ADD COLUMN inactivity_warned_at timestamptz;
    ALTER TABLE accounts ADD COLUMN inactivity_flagged_at timestamptz;
    UPDATE accounts SET last_active_at = COALESCE(activated_at, created_at);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE accounts DROP COLUMN inactivity_flagged_at;
    ALTER TABLE accounts DROP COLUMN inactivity_warned_at;
    ALTER TABLE accounts DROP COLUMN last_active_at;
    ALTER TABLE sessions DROP CONSTRAINT IF EXISTS sessions_stage_check;
    ALTER TABLE sessions ADD CONSTRAINT sessions_stage_check
      CHECK (stage IN ('onboarding','second_factor','full'));
    ALTER TABLE users DROP COLUMN must_change_password;
  `.execute(db);
}
