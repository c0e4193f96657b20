import { type Kysely, sql } from 'kysely';

/**
 * Invoices (src/modules/billing/invoices.ts):
 * - `invoice_counters`: one row per numbering sequence (the operator's is 'invoice'). The issuing
 *   transaction locks it, checks the month is not invoiced yet, takes the next number and writes the
 *   invoice, so numbers are gapless: a transaction that rolls back gives its number back.
 * - `invoices`: one per main account and local calendar month (`period`, its first day); the PDF's
 *   bytes as issued, their SHA-256, and the facts they were rendered from. Never updated: a trigger
 *   refuses it, and a correction is a new document.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE invoice_counters (
      sequence text PRIMARY KEY,
      last_number bigint NOT NULL CHECK (last_number >= 0)
    );
    INSERT INTO invoice_counters (sequence, last_number) VALUES ('invoice', 0);

    CREATE TABLE invoices (
      id uuid PRIMARY KEY,
      number bigint NOT NULL UNIQUE CHECK (number > 0),
      account_id uuid NOT NULL REFERENCES accounts(id),
      period date NOT NULL CHECK (extract(day FROM period) = 1),
      timezone text NOT NULL,
      period_start timestamptz NOT NULL,
      period_end timestamptz NOT NULL CHECK (period_end > period_start),
      currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
      opening_micros bigint NOT NULL,
      debits_micros bigint NOT NULL CHECK (debits_micros <= 0),
      credits_micros bigint NOT NULL CHECK (credits_micros >= 0),
      closing_micros bigint NOT NULL CHECK (closing_micros = opening_micros + debits_micros + credits_micros),
      facts jsonb NOT NULL,
      pdf bytea NOT NULL,
      pdf_sha256 text NOT NULL CHECK (pdf_sha256 ~ '^[0-9a-f]{64}$'),
      issued_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (account_id, period)
    );

    CREATE FUNCTION invoices_are_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'An issued invoice is never changed: a correction is a new document';
    END $$;
    CREATE TRIGGER invoices_never_updated BEFORE UPDATE ON invoices
      FOR EACH ROW EXECUTE FUNCTION invoices_are_immutable();
  `.execute(db);
}
