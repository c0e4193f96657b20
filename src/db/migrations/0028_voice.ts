import { type Kysely, sql } from 'kysely';

/**
 * Voice through a SIP server (src/modules/voice; Kamailio is the engine):
 * - `sip_registrations`: where each endpoint is registered (one row per contact), as the SIP
 *   server reports after saving it; a row past `expires_at` is no longer registered.
 * - `calls`: one per call the SIP server asked about (its id is Plivo's call_uuid), from
 *   `ringing` to `in-progress` (answered) to `completed`, with what it cost. The SIP server's own
 *   ids (Call-ID, the dialog's hash entry and id) let Switchboard end the call through it.
 * - `engines.disconnect_protocol`: how an engine is told to end sessions — a signed webhook, or
 *   Kamailio's JSON-RPC (`dlg.end_dlg`) at `disconnect_url`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE sip_registrations (
      endpoint_id uuid NOT NULL REFERENCES endpoints(id) ON DELETE CASCADE,
      contact text NOT NULL,
      user_agent text NOT NULL DEFAULT '',
      received text,
      registered_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL,
      PRIMARY KEY (endpoint_id, contact)
    );

    CREATE TABLE calls (
      id uuid PRIMARY KEY,
      engine_id uuid NOT NULL,
      sip_call_id text NOT NULL,
      account_id uuid NOT NULL REFERENCES accounts(id),
      subaccount_id uuid REFERENCES accounts(id),
      direction text NOT NULL CHECK (direction IN ('outbound', 'inbound')),
      from_number text NOT NULL,
      to_number text NOT NULL,
      caller_endpoint_id uuid REFERENCES endpoints(id) ON DELETE SET NULL,
      route text NOT NULL CHECK (route IN ('endpoint', 'carrier')),
      target text NOT NULL,
      state text NOT NULL CHECK (state IN ('ringing', 'in-progress', 'completed')),
      initiated_at timestamptz NOT NULL,
      answered_at timestamptz,
      ended_at timestamptz,
      duration_seconds integer,
      billed_duration_seconds integer,
      currency text NOT NULL,
      rate_micros bigint NOT NULL DEFAULT 0,
      amount_micros bigint NOT NULL DEFAULT 0,
      hangup_cause text,
      hangup_source text,
      sip_code integer,
      dialog_entry integer CHECK (dialog_entry >= 0),
      dialog_id bigint CHECK (dialog_id >= 0),
      UNIQUE (engine_id, sip_call_id)
    );
    CREATE INDEX calls_by_account ON calls (account_id, initiated_at DESC);
    CREATE INDEX calls_by_subaccount ON calls (subaccount_id, initiated_at DESC) WHERE subaccount_id IS NOT NULL;
    CREATE INDEX calls_live ON calls (account_id) WHERE state <> 'completed';

    ALTER TABLE engines ADD COLUMN disconnect_protocol text NOT NULL DEFAULT 'webhook'
      CHECK (disconnect_protocol IN ('webhook', 'kamailio-jsonrpc'));
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE engines DROP COLUMN disconnect_protocol;
    DROP TABLE calls;
    DROP TABLE sip_registrations;
  `.execute(db);
}
