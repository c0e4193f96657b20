import { type Kysely, sql } from 'kysely';

/**
 * A session's CSRF token is no longer stored: it is derived from the session id with the server
 * key (Sessions.csrfTokenOf), so the database holds nothing a request could present. Open
 * sessions get their derived token at their next GET /api/session.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE sessions DROP COLUMN csrf_token`.execute(db);
}
