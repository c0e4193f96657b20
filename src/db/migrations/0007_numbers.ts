import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE numbers (
      id uuid PRIMARY KEY,
      number text NOT NULL UNIQUE CHECK (number ~ '^[1-9][0-9]{6,14}$'),
      country_iso text NOT NULL CHECK (country_iso ~ '^[A-Z]{2}$'),
      number_type text NOT NULL CHECK (number_type IN ('local', 'tollfree', 'mobile')),
      region text NOT NULL,
      city text,
      rate_center text,
      voice_enabled boolean NOT NULL,
      sms_enabled boolean NOT NULL,
      mms_enabled boolean NOT NULL,
      monthly_rental_micros bigint NOT NULL CHECK (monthly_rental_micros >= 0),
      voice_rate_micros bigint NOT NULL DEFAULT 0 CHECK (voice_rate_micros >= 0),
      sms_rate_micros bigint NOT NULL DEFAULT 0 CHECK (sms_rate_micros >= 0),
      mms_rate_micros bigint NOT NULL DEFAULT 0 CHECK (mms_rate_micros >= 0),
      account_id uuid REFERENCES accounts(id),
      subaccount_id uuid REFERENCES accounts(id),
      application_id uuid REFERENCES applications(id) ON DELETE SET NULL,
      alias text,
      added_on date,
      renewal_date date,
      loaded_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((account_id IS NULL) = (added_on IS NULL) AND (account_id IS NULL) = (renewal_date IS NULL)),
      CHECK (account_id IS NOT NULL OR (subaccount_id IS NULL AND application_id IS NULL AND alias IS NULL))
    );
    CREATE INDEX numbers_available ON numbers (country_iso, number) WHERE account_id IS NULL;
    CREATE INDEX numbers_by_account ON numbers (account_id, added_on) WHERE account_id IS NOT NULL;
    CREATE INDEX numbers_by_subaccount ON numbers (subaccount_id) WHERE subaccount_id IS NOT NULL;
    CREATE INDEX numbers_by_application ON numbers (application_id) WHERE application_id IS NOT NULL;
  `.execute(db);
}
