import { type Kysely, sql } from 'kysely';

/**
 * The audit log customers read (issue 18): audit events become append-only in the database itself
 * (no UPDATE ever, no TRUNCATE, and DELETE only in a transaction that declared itself a retention
 * purge with `SET LOCAL switchboard.audit_purge = 'on'`), an index for the age purge, the Auth ID
 * whose API credentials made a change (the actor of changes through /v1), and each main account's
 * audit webhook (URL and signing secret, encrypted under the server key).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' AND current_setting('switchboard.audit_purge', true) = 'on' THEN
        RETURN OLD;
      END IF;
      RAISE EXCEPTION 'audit events are append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
    END;
    $$;
    CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
      FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
    CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
      FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
    CREATE INDEX audit_events_by_time ON audit_events (created_at);
    ALTER TABLE audit_events ADD COLUMN api_auth_id text;
    CREATE INDEX audit_events_by_api_auth_id ON audit_events (api_auth_id, created_at DESC)
      WHERE api_auth_id IS NOT NULL;

    CREATE TABLE audit_webhooks (
      account_id uuid PRIMARY KEY REFERENCES accounts(id),
      url text NOT NULL CHECK (length(url) <= 2000),
      secret_encrypted text NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE audit_webhooks;
    DROP INDEX audit_events_by_api_auth_id;
    ALTER TABLE audit_events DROP COLUMN api_auth_id;
    DROP INDEX audit_events_by_time;
    DROP TRIGGER audit_events_no_truncate ON audit_events;
    DROP TRIGGER audit_events_append_only ON audit_events;
    DROP FUNCTION audit_events_append_only();
  `.execute(db);
}
