import { type Kysely, sql } from 'kysely';

/**
 * Prepaid credit (src/modules/billing):
 * - `ledger_entries`: the one append-only ledger, one per main account. An amount is signed
 *   micro-units (credits positive, charges negative); (account, idempotency key) is unique, so an
 *   entry posted twice is posted once. `accounts.balance_micros` is the ledger's sum, kept in the
 *   same transaction as the entries it reflects (`switchboard ledger verify` checks it).
 * - `owed_rentals`: a number's monthly rental the balance could not cover; the next credit settles it.
 * - `price_decks` and `prices`: what staff load; rows are never changed, a later `effective_from`
 *   replaces an earlier row for the same destination, so usage is rated at the price in force then.
 * - `engines`: the telephony and messaging engines' credentials (a digest of the key, never the key).
 * - `usage_records`: every rated usage event; (engine, event id) is its claim, taken in the
 *   transaction that charges it. `batch_id` names the ledger entries the record was charged in.
 *   It has no foreign keys: the charging transaction writes up to 1,000 records a statement, and
 *   each key's check is one more index probe and row lock per record (measured: a third of the
 *   claim's time at 1,000 events); the transaction reads the accounts and the engine it writes, and
 *   neither accounts nor engines are ever deleted (engines are revoked, not removed).
 * - `usage_daily`: usage per account, subaccount, the account's local day, product and direction,
 *   maintained in the charging transaction, so a summary never scans the records.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE accounts ADD COLUMN balance_micros bigint NOT NULL DEFAULT 0;

    CREATE TABLE ledger_entries (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      account_id uuid NOT NULL REFERENCES accounts(id),
      subaccount_id uuid REFERENCES accounts(id),
      kind text NOT NULL CHECK (kind IN ('trial_credit', 'recharge', 'charge', 'rental', 'refund', 'adjustment')),
      amount_micros bigint NOT NULL,
      currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
      idempotency_key text NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 200),
      caused_by text NOT NULL,
      reference text,
      description text,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (account_id, idempotency_key)
    );
    CREATE INDEX ledger_entries_by_account ON ledger_entries (account_id, created_at, id);

    CREATE TABLE owed_rentals (
      id uuid PRIMARY KEY,
      account_id uuid NOT NULL REFERENCES accounts(id),
      subaccount_id uuid REFERENCES accounts(id),
      number text NOT NULL,
      period_start date NOT NULL,
      amount_micros bigint NOT NULL CHECK (amount_micros > 0),
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (account_id, number, period_start)
    );
    CREATE INDEX owed_rentals_by_account ON owed_rentals (account_id, created_at);

    CREATE TABLE price_decks (
      id uuid PRIMARY KEY,
      loaded_by text NOT NULL,
      row_count integer NOT NULL,
      loaded_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE prices (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      deck_id uuid NOT NULL REFERENCES price_decks(id),
      country_iso text NOT NULL CHECK (country_iso ~ '^[A-Z]{2}$'),
      product text NOT NULL CHECK (product IN ('voice', 'sms', 'mms')),
      direction text NOT NULL CHECK (direction IN ('outbound', 'inbound')),
      number_type text NOT NULL DEFAULT '' CHECK (number_type IN ('', 'local', 'tollfree', 'mobile', 'ip')),
      prefix text NOT NULL DEFAULT '' CHECK (prefix ~ '^[0-9]{0,15}$'),
      rate_micros bigint NOT NULL CHECK (rate_micros >= 0),
      connect_fee_micros bigint NOT NULL DEFAULT 0 CHECK (connect_fee_micros >= 0),
      initial_increment integer NOT NULL DEFAULT 60 CHECK (initial_increment BETWEEN 1 AND 3600),
      subsequent_increment integer NOT NULL DEFAULT 60 CHECK (subsequent_increment BETWEEN 1 AND 3600),
      effective_from timestamptz NOT NULL,
      UNIQUE (country_iso, product, direction, number_type, prefix, effective_from)
    );

    CREATE TABLE engines (
      id uuid PRIMARY KEY,
      name text NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9][a-z0-9._-]{0,62}$'),
      key_digest text NOT NULL,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      last_used_at timestamptz,
      revoked_at timestamptz
    );

    CREATE TABLE usage_records (
      engine_id uuid NOT NULL,
      event_id text NOT NULL,
      batch_id uuid NOT NULL,
      account_id uuid NOT NULL,
      subaccount_id uuid,
      product text NOT NULL CHECK (product IN ('voice', 'sms', 'mms')),
      direction text NOT NULL CHECK (direction IN ('outbound', 'inbound')),
      from_number text NOT NULL,
      to_number text NOT NULL,
      number_type text NOT NULL DEFAULT '',
      country_iso text NOT NULL,
      prefix text NOT NULL,
      quantity bigint NOT NULL CHECK (quantity >= 0),
      billed_quantity bigint NOT NULL CHECK (billed_quantity >= 0),
      rate_micros bigint NOT NULL,
      amount_micros bigint NOT NULL CHECK (amount_micros >= 0),
      started_at timestamptz NOT NULL,
      day date NOT NULL,
      charged_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (engine_id, event_id)
    );
    CREATE INDEX usage_records_by_account ON usage_records (account_id, started_at);

    CREATE TABLE usage_daily (
      account_id uuid NOT NULL REFERENCES accounts(id),
      subaccount_id uuid REFERENCES accounts(id),
      day date NOT NULL,
      product text NOT NULL CHECK (product IN ('voice', 'sms', 'mms', 'numbers')),
      direction text NOT NULL CHECK (direction IN ('outbound', 'inbound', 'none')),
      events bigint NOT NULL,
      quantity bigint NOT NULL,
      amount_micros bigint NOT NULL
    );
    CREATE UNIQUE INDEX usage_daily_key ON usage_daily
      (account_id, day, product, direction, (coalesce(subaccount_id, '00000000-0000-0000-0000-000000000000'::uuid)));
  `.execute(db);
}
