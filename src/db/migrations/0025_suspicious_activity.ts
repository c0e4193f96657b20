import { type Kysely, sql } from 'kysely';

/**
 * Suspicious activity (src/modules/suspicious-activity): one row per operator rule that fired for a
 * main account on one of its local days (spend far above its 30-day average, sign-ins from too many
 * countries), with the figures observed. (account, rule, day) is unique: the row is the claim that
 * makes a rule fire once per account per day. Staff resolve an open flag by clearing it with a note,
 * or it is resolved by the account's suspension.
 * The hourly rules read the last days of usage and of sign-ins across all accounts: two indexes
 * serve those reads (usage_daily by day, the audit trail's sign-ins by time).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE suspicious_activity_flags (
      id uuid PRIMARY KEY,
      account_id uuid NOT NULL REFERENCES accounts(id),
      rule text NOT NULL CHECK (rule IN ('spend_spike', 'sign_in_countries')),
      day date NOT NULL,
      figures jsonb NOT NULL,
      created_at timestamptz NOT NULL,
      resolved_at timestamptz,
      resolved_by text,
      outcome text CHECK (outcome IN ('cleared', 'suspended')),
      note text,
      UNIQUE (account_id, rule, day),
      CHECK ((resolved_at IS NULL) = (outcome IS NULL))
    );
    CREATE INDEX suspicious_activity_flags_open ON suspicious_activity_flags (created_at) WHERE resolved_at IS NULL;
    CREATE INDEX usage_daily_by_day ON usage_daily (day);
    CREATE INDEX audit_events_sign_ins ON audit_events (created_at) WHERE action = 'user.signed_in';
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP INDEX audit_events_sign_ins;
    DROP INDEX usage_daily_by_day;
    DROP TABLE suspicious_activity_flags;
  `.execute(db);
}
