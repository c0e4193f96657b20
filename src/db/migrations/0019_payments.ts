import { type Kysely, sql } from 'kysely';

/**
 * Payments (src/modules/billing/payments.ts):
 * - ledger entry kind `reversal`: a credited payment taken back (failed late, refunded, disputed).
 * - `payment_customers`: the account's customer at the payment gateway (Stripe's cus_…).
 * - `payment_methods`: saved cards, by the gateway's reference; the card number never reaches
 *   Switchboard in Stripe mode (brand, last four digits and expiry only).
 * - `payments`: one row per recharge or auto-recharge; (gateway, gateway_ref) finds it from a
 *   webhook; credited_at and reversed_at record the ledger entries (keyed `payment:<id>` and
 *   `payment-reversal:<id>`, so each posts once). At most one auto-recharge per account is in
 *   flight (payments_one_auto_recharge): the claim that makes a stampede of debits start one.
 * - `auto_recharge_settings`: threshold, fixed amount or recharge-to target, daily and monthly caps.
 * - `test_gateway_cards` and `test_gateway_intents`: the built-in test gateway's own state, as a
 *   gateway keeps it (development mode's driver; never used with Stripe).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_kind_check;
    ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_kind_check
      CHECK (kind IN ('trial_credit', 'recharge', 'charge', 'rental', 'refund', 'adjustment', 'reversal'));

    CREATE TABLE payment_customers (
      account_id uuid PRIMARY KEY REFERENCES accounts(id),
      gateway text NOT NULL,
      customer_ref text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE payment_methods (
      id uuid PRIMARY KEY,
      account_id uuid NOT NULL REFERENCES accounts(id),
      gateway text NOT NULL,
      gateway_ref text NOT NULL,
      brand text NOT NULL,
      last4 text NOT NULL CHECK (last4 ~ '^[0-9]{4}$'),
      exp_month integer NOT NULL CHECK (exp_month BETWEEN 1 AND 12),
      exp_year integer NOT NULL,
      added_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      removed_at timestamptz,
      UNIQUE (gateway, gateway_ref)
    );
    CREATE INDEX payment_methods_by_account ON payment_methods (account_id, created_at);

    CREATE TABLE payments (
      id uuid PRIMARY KEY,
      number bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
      account_id uuid NOT NULL REFERENCES accounts(id),
      payment_method_id uuid REFERENCES payment_methods(id),
      purpose text NOT NULL CHECK (purpose IN ('recharge', 'auto_recharge')),
      gateway text NOT NULL,
      gateway_ref text,
      amount_micros bigint NOT NULL CHECK (amount_micros >= 0),
      currency text NOT NULL,
      status text NOT NULL CHECK (status IN ('pending', 'requires_action', 'succeeded', 'failed', 'refused')),
      failure_reason text,
      action_url text,
      requested_by text NOT NULL,
      request_key text,
      credited_at timestamptz,
      reversed_at timestamptz,
      reversal_reason text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (gateway, gateway_ref),
      UNIQUE (account_id, request_key)
    );
    CREATE INDEX payments_by_account ON payments (account_id, created_at);
    CREATE UNIQUE INDEX payments_one_auto_recharge ON payments (account_id)
      WHERE purpose = 'auto_recharge' AND status IN ('pending', 'requires_action');

    CREATE TABLE auto_recharge_settings (
      account_id uuid PRIMARY KEY REFERENCES accounts(id),
      enabled boolean NOT NULL,
      threshold_micros bigint NOT NULL CHECK (threshold_micros >= 0),
      mode text NOT NULL CHECK (mode IN ('fixed', 'target')),
      amount_micros bigint NOT NULL CHECK (amount_micros > 0),
      daily_cap_micros bigint NOT NULL CHECK (daily_cap_micros > 0),
      monthly_cap_micros bigint NOT NULL CHECK (monthly_cap_micros > 0),
      payment_method_id uuid REFERENCES payment_methods(id),
      consecutive_failures integer NOT NULL DEFAULT 0,
      updated_by text NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE test_gateway_cards (
      ref text PRIMARY KEY,
      customer_ref text NOT NULL,
      last4 text NOT NULL,
      brand text NOT NULL,
      exp_month integer NOT NULL,
      exp_year integer NOT NULL,
      behaviour text NOT NULL CHECK (behaviour IN ('succeed', 'decline', 'confirm', 'fail_charges')),
      created_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE test_gateway_intents (
      ref text PRIMARY KEY,
      card_ref text NOT NULL REFERENCES test_gateway_cards(ref),
      idempotency_key text NOT NULL UNIQUE,
      amount_minor bigint NOT NULL,
      currency text NOT NULL,
      payment_id uuid NOT NULL,
      status text NOT NULL CHECK (status IN ('requires_action', 'succeeded', 'failed', 'refunded')),
      failure_reason text,
      created_at timestamptz NOT NULL DEFAULT now()
    );
  `.execute(db);
}
