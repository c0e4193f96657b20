import { type Kysely, sql } from 'kysely';

/**
 * The Message API (src/modules/messaging):
 * - `messages`: one per destination of a send (its id is Plivo's message_uuid), and one per
 *   inbound message. An outbound message is `scheduled` (send_at ahead, or held while the account
 *   cannot pay), `queued` (its cost held from the account's free credit, waiting for the account's
 *   message rate), `sending` (claimed by an instance's dispatcher), then `sent` (charged),
 *   `delivered` or `undelivered`; `failed` (never reached the carrier, not charged) or `canceled`.
 *   `held_micros` is what it holds of the account's `held_micros` while queued.
 * - `message_parts`: the carrier's id of each submitted part, so a delivery receipt finds its message.
 * - `message_events`: each state a message went through, when, and why: the console's timeline.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE messages (
      id uuid PRIMARY KEY,
      account_id uuid NOT NULL REFERENCES accounts(id),
      subaccount_id uuid REFERENCES accounts(id),
      direction text NOT NULL CHECK (direction IN ('outbound', 'inbound')),
      message_type text NOT NULL DEFAULT 'sms',
      from_number text NOT NULL,
      to_number text NOT NULL,
      body text NOT NULL,
      log boolean NOT NULL DEFAULT true,
      encoding text NOT NULL CHECK (encoding IN ('GSM', 'UCS2')),
      units integer NOT NULL CHECK (units >= 1),
      currency text NOT NULL,
      country_iso text NOT NULL DEFAULT '',
      prefix text NOT NULL DEFAULT '',
      rate_micros bigint NOT NULL DEFAULT 0 CHECK (rate_micros >= 0),
      amount_micros bigint NOT NULL DEFAULT 0 CHECK (amount_micros >= 0),
      held_micros bigint NOT NULL DEFAULT 0 CHECK (held_micros >= 0),
      state text NOT NULL CHECK (state IN ('scheduled', 'queued', 'sending', 'sent', 'delivered',
        'undelivered', 'failed', 'canceled', 'received')),
      error_code integer,
      held_reason text,
      callback_url text,
      callback_method text NOT NULL DEFAULT 'POST' CHECK (callback_method IN ('GET', 'POST')),
      expiry_seconds integer NOT NULL,
      send_at timestamptz,
      send_after timestamptz NOT NULL,
      expires_at timestamptz NOT NULL,
      claimed_at timestamptz,
      requester_ip text,
      created_at timestamptz NOT NULL,
      sent_at timestamptz,
      updated_at timestamptz NOT NULL
    );
    CREATE INDEX messages_due ON messages (send_after) WHERE state = 'queued';
    CREATE INDEX messages_scheduled ON messages (account_id, send_at) WHERE state = 'scheduled';
    CREATE INDEX messages_sending ON messages (claimed_at) WHERE state = 'sending';
    CREATE INDEX messages_expiring ON messages (expires_at) WHERE state IN ('queued', 'scheduled');
    CREATE INDEX messages_by_account ON messages (account_id, created_at DESC);
    CREATE INDEX messages_by_subaccount ON messages (subaccount_id, created_at DESC) WHERE subaccount_id IS NOT NULL;

    CREATE TABLE message_parts (
      carrier_message_id text PRIMARY KEY,
      message_id uuid NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
      part integer NOT NULL,
      state text NOT NULL DEFAULT 'sent'
    );
    CREATE INDEX message_parts_by_message ON message_parts (message_id);

    CREATE TABLE message_events (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      message_id uuid NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
      state text NOT NULL,
      error_code integer,
      detail text NOT NULL DEFAULT '',
      at timestamptz NOT NULL
    );
    CREATE INDEX message_events_by_message ON message_events (message_id, id);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE message_events; DROP TABLE message_parts; DROP TABLE messages;`.execute(db);
}
