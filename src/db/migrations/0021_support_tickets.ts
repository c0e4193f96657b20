import { type Kysely, sql } from 'kysely';

/**
 * Support tickets (src/modules/support):
 * - `support_tickets`: one per ticket, numbered from a sequence (shown as T-000123), with the
 *   customer's email, the account when a member opened it, its status, the agent assigned and the
 *   SLA clock (`sla_due_at`: when support owes the next answer; null while nobody waits on support).
 * - `support_messages`: the conversation: customer and staff replies, and staff's internal notes
 *   (`internal`, never shown to customers).
 * - `support_attachments`: files of a message, their bytes encrypted with the server key; the type
 *   is the one their content showed (magic bytes), never the name's.
 * - `support_access_links`: the one-time links "Check Ticket Status" emails (token digest, expiry,
 *   used_at), and the access they grant once opened (`access_digest`, until `access_expires_at`).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE SEQUENCE support_ticket_numbers START 1;

    CREATE TABLE support_tickets (
      id uuid PRIMARY KEY,
      number bigint NOT NULL UNIQUE DEFAULT nextval('support_ticket_numbers'),
      email text NOT NULL,
      account_id uuid REFERENCES accounts(id),
      user_id uuid REFERENCES users(id),
      subject text NOT NULL,
      category text NOT NULL CHECK (category IN ('billing', 'technical', 'account', 'compliance', 'other')),
      priority text NOT NULL CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
      status text NOT NULL CHECK (status IN ('open', 'waiting_on_customer', 'waiting_on_support', 'solved', 'closed')),
      assignee_id uuid REFERENCES staff_members(id),
      sla_due_at timestamptz,
      solved_at timestamptz,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL
    );
    CREATE INDEX support_tickets_account ON support_tickets (account_id, created_at);
    CREATE INDEX support_tickets_queue ON support_tickets (status, sla_due_at);

    CREATE TABLE support_messages (
      id uuid PRIMARY KEY,
      ticket_id uuid NOT NULL REFERENCES support_tickets(id),
      author text NOT NULL CHECK (author IN ('customer', 'staff')),
      user_id uuid REFERENCES users(id),
      staff_id uuid REFERENCES staff_members(id),
      internal boolean NOT NULL DEFAULT false,
      body text NOT NULL,
      created_at timestamptz NOT NULL
    );
    CREATE INDEX support_messages_ticket ON support_messages (ticket_id, created_at);

    CREATE TABLE support_attachments (
      id uuid PRIMARY KEY,
      message_id uuid NOT NULL REFERENCES support_messages(id),
      file_name text NOT NULL,
      content_type text NOT NULL,
      size_bytes integer NOT NULL CHECK (size_bytes > 0),
      content_encrypted text NOT NULL,
      created_at timestamptz NOT NULL
    );
    CREATE INDEX support_attachments_message ON support_attachments (message_id);

    CREATE TABLE support_access_links (
      id uuid PRIMARY KEY,
      ticket_id uuid NOT NULL REFERENCES support_tickets(id),
      token_digest text NOT NULL UNIQUE,
      expires_at timestamptz NOT NULL,
      used_at timestamptz,
      access_digest text UNIQUE,
      access_expires_at timestamptz,
      created_at timestamptz NOT NULL
    );
  `.execute(db);
}
