import { type Kysely, sql } from 'kysely';

/**
 * Failed authentications against an Auth ID on the /v1 API, for its Owner and Admin to look at
 * (Logs > API): one row per account, source address and hour, counting the failures. The submitted
 * token is never kept. Failures naming an Auth ID that does not exist are not kept: nobody could read them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE api_auth_failures (
      account_id uuid NOT NULL,
      ip text NOT NULL,
      hour timestamptz NOT NULL,
      first_at timestamptz NOT NULL,
      last_at timestamptz NOT NULL,
      count integer NOT NULL CHECK (count > 0),
      PRIMARY KEY (account_id, ip, hour)
    );
    CREATE INDEX api_auth_failures_by_time ON api_auth_failures (last_at);
  `.execute(db);
}
