import { sql } from 'kysely';
import { type Db, executor } from '../../db/database.js';

/** SQL for auth tokens. */
export class CredentialStore {
  constructor(private readonly db: Db) {}

  private get q() {
    return executor(this.db);
  }

  async insert(token: {
    id: string;
    account_id: string;
    token_encrypted: string;
    token_digest: string;
    created_by: string | null;
  }) {
    await this.q.insertInto('auth_tokens').values(token).execute();
  }

  /** Live tokens of an account, newest first. */
  liveTokens(accountId: string) {
    return this.q
      .selectFrom('auth_tokens')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('revoked_at', 'is', null)
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .execute();
  }

  /** The live token with this digest, if it belongs to the account with this Auth ID. */
  liveTokenByDigest(authId: string, digest: string) {
    return this.q
      .selectFrom('auth_tokens')
      .innerJoin('accounts', 'accounts.id', 'auth_tokens.account_id')
      .select(['auth_tokens.id', 'auth_tokens.token_digest', 'accounts.id as accountId'])
      .where('accounts.auth_id', '=', authId)
      .where('auth_tokens.token_digest', '=', digest)
      .where('auth_tokens.revoked_at', 'is', null)
      .executeTakeFirst();
  }

  async revoke(accountId: string, tokenIds: string[], at: Date): Promise<number> {
    if (tokenIds.length === 0) return 0;
    const result = await this.q
      .updateTable('auth_tokens')
      .set({ revoked_at: at })
      .where('account_id', '=', accountId)
      .where('id', 'in', tokenIds)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** Records last use of many tokens at once (the gate batches these). */
  async touch(lastUse: Map<string, Date>) {
    if (lastUse.size === 0) return;
    const rows = [...lastUse].map(([id, at]) => sql`(${id}::uuid, ${at.toISOString()}::timestamptz)`);
    await sql`
      UPDATE auth_tokens SET last_used_at = GREATEST(auth_tokens.last_used_at, used.at)
      FROM (VALUES ${sql.join(rows)}) AS used(id, at)
      WHERE auth_tokens.id = used.id`.execute(this.q);
  }
}
