import { type Kysely, sql } from 'kysely';

/**
 * The API request log's batches store a request in about 25 bytes instead of about 115: writing a
 * batch costs the embedded database in proportion to its size, and the server's one thread waits
 * for it (bench/gate). Every api_id of a batch shares its first 24 characters (`api_id_prefix`);
 * `requests` holds, per request, [api_id_counter, path_position, status, ip_position, duration_ms,
 * ms_after_first_at], where the counter is the api_id's last 12 hex digits, and the positions
 * point into `paths` ([[method, path], ...]) and `ips`. The requests already logged keep their
 * api_ids: each becomes a batch of its own (random api_ids share no prefix).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE api_request_batches
      ADD COLUMN api_id_prefix text,
      ADD COLUMN paths json,
      ADD COLUMN ips json;

    INSERT INTO api_request_batches (account_id, first_at, last_at, request_count, api_id_prefix, paths, ips, requests)
    SELECT b.account_id, r.at, r.at, 1, left(r.api_id, 24),
      json_build_array(json_build_array(r.method, r.path)), json_build_array(r.ip),
      json_build_array(json_build_array(
        ('x' || lpad(right(r.api_id, 12), 16, '0'))::bit(64)::bigint, 0, r.status, 0, r.duration_ms, 0))
    FROM api_request_batches b CROSS JOIN LATERAL (
      SELECT e.n, e.r->>0 AS api_id, e.r->>1 AS method, e.r->>2 AS path, (e.r->>3)::int AS status,
        e.r->>4 AS ip, (e.r->>5)::int AS duration_ms, to_timestamp((e.r->>6)::bigint / 1000.0) AS at
      FROM json_array_elements(b.requests) WITH ORDINALITY AS e(r, n)
    ) r
    WHERE b.api_id_prefix IS NULL
    ORDER BY b.id, r.n;

    DELETE FROM api_request_batches WHERE api_id_prefix IS NULL;

    ALTER TABLE api_request_batches
      ALTER COLUMN api_id_prefix SET NOT NULL,
      ALTER COLUMN paths SET NOT NULL,
      ALTER COLUMN ips SET NOT NULL;
  `.execute(db);
}
