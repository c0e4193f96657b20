import { type Kysely, sql } from 'kysely';

/**
 * Closing an account (src/modules/accounts/closure.ts): when it was closed, and the refunds of its
 * remaining credit (src/modules/billing/refunds.ts), one per recharge refunded, each due within
 * 20 business days and issued through the gateway that took the recharge. The test gateway keeps
 * what was refunded of each of its payments, as a real gateway does. A request for reinstatement
 * opens a support ticket (with the documents attached): its number is kept on the suspension.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE accounts ADD COLUMN closed_at timestamptz;
    ALTER TABLE account_suspensions ADD COLUMN reinstatement_ticket text;

    CREATE TABLE refunds (
      id uuid PRIMARY KEY,
      account_id uuid NOT NULL REFERENCES accounts(id),
      payment_id uuid NOT NULL REFERENCES payments(id),
      gateway text NOT NULL,
      reason text NOT NULL CHECK (reason IN ('account_closed')),
      amount_micros bigint NOT NULL CHECK (amount_micros > 0),
      currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
      due_on date NOT NULL,
      status text NOT NULL CHECK (status IN ('scheduled', 'issued', 'failed')),
      gateway_ref text,
      failure_reason text,
      created_at timestamptz NOT NULL,
      issued_at timestamptz,
      UNIQUE (payment_id, reason)
    );
    CREATE INDEX refunds_by_account ON refunds (account_id, created_at);

    ALTER TABLE test_gateway_intents ADD COLUMN amount_refunded_minor bigint NOT NULL DEFAULT 0;
    CREATE TABLE test_gateway_refunds (
      ref text PRIMARY KEY,
      intent_ref text NOT NULL REFERENCES test_gateway_intents(ref),
      idempotency_key text NOT NULL UNIQUE,
      amount_minor bigint NOT NULL CHECK (amount_minor > 0),
      created_at timestamptz NOT NULL DEFAULT now()
    );
  `.execute(db);
}
