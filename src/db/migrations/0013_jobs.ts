import { type Kysely, sql } from 'kysely';

/**
 * The jobs runner's table (src/jobs): one row per job to run. A runner claims due rows with
 * FOR UPDATE SKIP LOCKED and leases them; a lease that runs out (its runner died) makes the row
 * claimable again. `key` makes an enqueue idempotent per job name (a scheduled job's key names its
 * period, so N instances run it once per period). Outbox messages still pending are handed to the
 * runner here, one delivery job each, as the outbox does from now on. Flows and sessions get an
 * index on their expiry for the sweep that now deletes them once ended.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE jobs (
      id bigserial PRIMARY KEY,
      name text NOT NULL,
      key text,
      payload jsonb NOT NULL DEFAULT '{}',
      state text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'completed', 'failed')),
      attempts integer NOT NULL DEFAULT 0,
      max_attempts integer NOT NULL CHECK (max_attempts > 0),
      run_at timestamptz NOT NULL DEFAULT now(),
      locked_until timestamptz,
      last_error text,
      created_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz,
      UNIQUE (name, key)
    );
    CREATE INDEX jobs_due ON jobs (run_at) WHERE state = 'queued';
    CREATE INDEX jobs_leased ON jobs (locked_until) WHERE state = 'running';
    CREATE INDEX jobs_finished ON jobs (finished_at) WHERE state IN ('completed', 'failed');
    INSERT INTO jobs (name, key, payload, max_attempts, run_at)
      SELECT 'outbox.deliver', 'message:' || id, jsonb_build_object('messageId', id::text), 8, next_attempt_at
      FROM outbox_messages WHERE status = 'pending';
    ALTER TABLE outbox_messages DROP COLUMN next_attempt_at;
    CREATE INDEX flows_by_expiry ON flows (expires_at);
    CREATE INDEX sessions_by_expiry ON sessions (expires_at);
  `.execute(db);
}
