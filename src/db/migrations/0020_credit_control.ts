import { type Kysely, sql } from 'kysely';

/**
 * Credit control (src/modules/credit-control):
 * - `accounts.held_micros`: the sum of a main account's open sessions' holds, kept in the same
 *   transaction as the holds it reflects (free credit = balance − owed rentals − held).
 * - `credit_sessions`: one per engine session (engine, its session id): the tariff in force when
 *   it opened, the seconds or units its hold covers and the amount held; open until the engine
 *   ends it or the expiry job does (flagged).
 * - `credit_limits`: per account (staff's overrides) or subaccount (the main account's): concurrent
 *   sessions, the highest destination rate, and a subaccount's daily and monthly spend caps.
 * - `spend_cap_alerts`: the 80% and 100% alerts of a subaccount's cap, once per period.
 * - `engines.disconnect_url` and the signing secret of the disconnect webhook (encrypted).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE accounts ADD COLUMN held_micros bigint NOT NULL DEFAULT 0 CHECK (held_micros >= 0);

    ALTER TABLE engines ADD COLUMN disconnect_url text;
    ALTER TABLE engines ADD COLUMN signing_secret_encrypted text;

    CREATE TABLE credit_sessions (
      id uuid PRIMARY KEY,
      engine_id uuid NOT NULL REFERENCES engines(id),
      session_id text NOT NULL,
      account_id uuid NOT NULL REFERENCES accounts(id),
      subaccount_id uuid REFERENCES accounts(id),
      product text NOT NULL CHECK (product IN ('voice', 'sms', 'mms')),
      direction text NOT NULL CHECK (direction IN ('outbound', 'inbound')),
      from_number text NOT NULL,
      to_number text NOT NULL,
      number_type text NOT NULL DEFAULT '',
      country_iso text NOT NULL,
      prefix text NOT NULL,
      currency text NOT NULL,
      rate_micros bigint NOT NULL,
      connect_fee_micros bigint NOT NULL,
      initial_increment integer NOT NULL,
      subsequent_increment integer NOT NULL,
      covered bigint NOT NULL CHECK (covered >= 0),
      held_micros bigint NOT NULL CHECK (held_micros >= 0),
      max_quantity bigint NOT NULL,
      status text NOT NULL CHECK (status IN ('open', 'ended', 'expired')),
      opened_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL,
      renewal_short boolean NOT NULL DEFAULT false,
      disconnect_reason text,
      disconnect_requested_at timestamptz,
      ended_at timestamptz,
      quantity bigint,
      charged_micros bigint,
      flagged boolean NOT NULL DEFAULT false,
      UNIQUE (engine_id, session_id)
    );
    CREATE INDEX credit_sessions_open ON credit_sessions (account_id, opened_at) WHERE status = 'open';
    CREATE INDEX credit_sessions_open_by_subaccount ON credit_sessions (subaccount_id) WHERE status = 'open';
    CREATE INDEX credit_sessions_expiring ON credit_sessions (expires_at) WHERE status = 'open';

    CREATE TABLE credit_limits (
      account_id uuid PRIMARY KEY REFERENCES accounts(id),
      max_sessions integer CHECK (max_sessions >= 0),
      max_destination_rate_micros bigint CHECK (max_destination_rate_micros >= 0),
      daily_spend_cap_micros bigint CHECK (daily_spend_cap_micros >= 0),
      monthly_spend_cap_micros bigint CHECK (monthly_spend_cap_micros >= 0),
      updated_by text NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE spend_cap_alerts (
      subaccount_id uuid NOT NULL REFERENCES accounts(id),
      period text NOT NULL,
      percent integer NOT NULL CHECK (percent IN (80, 100)),
      sent_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (subaccount_id, period, percent)
    );
  `.execute(db);
}
