import { type Kysely, sql } from 'kysely';

/**
 * usage_records drops its foreign keys (engine, account, subaccount): the charging transaction
 * writes up to 1,000 records a statement, and each key's check is one more index probe and row lock
 * per record (measured: a third of the claim's time at 1,000 events). What they guarded cannot
 * happen: the charging transaction reads the accounts and the engine it writes, and neither
 * accounts nor engines are ever deleted (auth ids are never reused; engines are revoked, not removed).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE usage_records
      DROP CONSTRAINT usage_records_engine_id_fkey,
      DROP CONSTRAINT usage_records_account_id_fkey,
      DROP CONSTRAINT usage_records_subaccount_id_fkey;
  `.execute(db);
}
