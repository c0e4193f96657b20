import { type Kysely, sql } from 'kysely';

/**
 * Each account's currency (ISO 4217): its prices and money are in it. Accounts opened before this
 * migration were in USD, the only currency there was; from now on every insert names the currency
 * (the operator's CURRENCY for a main account, its main account's for a subaccount), so the column
 * keeps no default.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE accounts ADD COLUMN currency text NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$');
    ALTER TABLE accounts ALTER COLUMN currency DROP DEFAULT;
  `.execute(db);
}
