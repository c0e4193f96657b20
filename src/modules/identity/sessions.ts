import { type Db, executor } from '../../db/database.js';
import type { SessionStage } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import { randomToken, type SecretBox } from '../../lib/secrets.js';

export interface Session {
  id: string;
  principal: 'user' | 'staff';
  userId: string | null;
  staffId: string | null;
  accountId: string | null;
  stage: SessionStage;
  csrfToken: string;
  createdAt: Date;
  expiresAt: Date;
  reauthenticatedAt: Date | null;
}

type Principal =
  | { principal: 'user'; userId: string; accountId: string | null }
  | { principal: 'staff'; staffId: string };

export interface SessionTimeouts {
  idleMinutes: number;
  absoluteHours: number;
}

/**
 * Sessions are rows found by the digest of an opaque cookie token. A new token is issued at sign-in
 * and at each step up (second factor); idle and absolute timeouts are checked on every request.
 * A session's CSRF token is derived from its id with the server key, never stored.
 */
export class Sessions {
  constructor(
    private readonly db: Db,
    private readonly secrets: SecretBox,
    private readonly clock: Clock,
    private readonly timeouts: SessionTimeouts,
  ) {}

  async create(principal: Principal, stage: SessionStage, client: { ip: string; userAgent: string | null }) {
    const now = this.clock.now();
    const token = randomToken();
    const id = newId();
    await executor(this.db)
      .insertInto('sessions')
      .values({
        id,
        token_digest: this.secrets.digest(token),
        principal: principal.principal,
        user_id: principal.principal === 'user' ? principal.userId : null,
        staff_id: principal.principal === 'staff' ? principal.staffId : null,
        account_id: principal.principal === 'user' ? principal.accountId : null,
        stage,
        ip: client.ip,
        user_agent: client.userAgent,
        last_seen_at: now,
        expires_at: new Date(now.getTime() + this.timeouts.absoluteHours * 3_600_000),
        reauthenticated_at: stage === 'full' ? now : null,
      })
      .execute();
    return { id, token, csrfToken: this.csrfTokenOf(id) };
  }

  /** Ends a session and starts its successor at a new stage under a new token (session fixation defence). */
  async rotate(session: Session, stage: SessionStage, client: { ip: string; userAgent: string | null }) {
    await this.revoke(session.id);
    const principal: Principal =
      session.principal === 'user'
        ? { principal: 'user', userId: session.userId as string, accountId: session.accountId }
        : { principal: 'staff', staffId: session.staffId as string };
    return this.create(principal, stage, client);
  }

  /** The live session for a cookie token, or null when unknown, revoked, idle too long or too old. */
  async resolve(token: string, principal: 'user' | 'staff'): Promise<Session | null> {
    const row = await executor(this.db)
      .selectFrom('sessions')
      .selectAll()
      .where('token_digest', '=', this.secrets.digest(token))
      .where('principal', '=', principal)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (!row) return null;
    const now = this.clock.now();
    const idleLimit = new Date(now.getTime() - this.timeouts.idleMinutes * 60_000);
    if (row.expires_at <= now || row.last_seen_at <= idleLimit) {
      await this.revoke(row.id);
      return null;
    }
    // Writing last_seen_at at most once a minute keeps reads cheap; idle timeout precision is a minute.
    if (now.getTime() - row.last_seen_at.getTime() > 60_000) {
      await executor(this.db)
        .updateTable('sessions')
        .set({ last_seen_at: now })
        .where('id', '=', row.id)
        .execute();
    }
    return {
      id: row.id,
      principal: row.principal,
      userId: row.user_id,
      staffId: row.staff_id,
      accountId: row.account_id,
      stage: row.stage,
      csrfToken: this.csrfTokenOf(row.id),
      createdAt: row.created_at,
      expiresAt: row.expires_at,
      reauthenticatedAt: row.reauthenticated_at,
    };
  }

  /** The session's CSRF token: a keyed digest of its id, so only this server can make one. */
  private csrfTokenOf(sessionId: string): string {
    return this.secrets.digest(`csrf:${sessionId}`);
  }

  async moveToAccount(sessionId: string, accountId: string): Promise<void> {
    await executor(this.db)
      .updateTable('sessions')
      .set({ account_id: accountId })
      .where('id', '=', sessionId)
      .execute();
  }

  async markReauthenticated(sessionId: string): Promise<void> {
    await executor(this.db)
      .updateTable('sessions')
      .set({ reauthenticated_at: this.clock.now() })
      .where('id', '=', sessionId)
      .execute();
  }

  async revoke(sessionId: string): Promise<void> {
    await executor(this.db)
      .updateTable('sessions')
      .set({ revoked_at: this.clock.now() })
      .where('id', '=', sessionId)
      .where('revoked_at', 'is', null)
      .execute();
  }

  /** Ends every session of a user (or all but one), e.g. after a password change or reset. */
  async revokeAllOfUser(userId: string, exceptSessionId?: string): Promise<void> {
    let query = executor(this.db)
      .updateTable('sessions')
      .set({ revoked_at: this.clock.now() })
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null);
    if (exceptSessionId) query = query.where('id', '!=', exceptSessionId);
    await query.execute();
  }

  /** Ends every member's session in the account (a closing account's); answers how many. */
  async revokeAllInAccount(accountId: string): Promise<number> {
    const result = await executor(this.db)
      .updateTable('sessions')
      .set({ revoked_at: this.clock.now() })
      .where('account_id', '=', accountId)
      .where('principal', '=', 'user')
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async revokeAllOfStaff(staffId: string): Promise<void> {
    await executor(this.db)
      .updateTable('sessions')
      .set({ revoked_at: this.clock.now() })
      .where('staff_id', '=', staffId)
      .where('revoked_at', 'is', null)
      .execute();
  }
}
