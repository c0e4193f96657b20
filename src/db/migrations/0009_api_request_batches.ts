import { type Kysely, sql } from 'kysely';

/**
 * The API request log as batches: one row per account per flush, its requests a JSON array of
 * [api_id, method, path, status, ip, duration_ms, epoch_ms] in arrival order. A row per request
 * cost the embedded database more than the rest of the gate (docs/decisions.md); the rows already
 * logged move over, one batch per account and minute.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE api_request_batches (
      id bigserial PRIMARY KEY,
      account_id uuid NOT NULL,
      first_at timestamptz NOT NULL,
      last_at timestamptz NOT NULL,
      request_count integer NOT NULL CHECK (request_count > 0),
      requests json NOT NULL
    );
    ALTER TABLE api_request_batches ALTER COLUMN requests SET STORAGE EXTERNAL;
    CREATE INDEX api_request_batches_by_account ON api_request_batches (account_id, last_at DESC);
    CREATE INDEX api_request_batches_by_time ON api_request_batches (last_at);

    INSERT INTO api_request_batches (account_id, first_at, last_at, request_count, requests)
    SELECT account_id, min(created_at), max(created_at), count(*),
      json_agg(json_build_array(api_id, method, path, status, ip, duration_ms,
        floor(extract(epoch FROM created_at) * 1000)::bigint) ORDER BY created_at, id)
    FROM api_requests
    GROUP BY account_id, date_trunc('minute', created_at);

    DROP TABLE api_requests;
  `.execute(db);
}
