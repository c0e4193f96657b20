import { sql } from 'kysely';
import { type Db, executor } from '../../db/database.js';
import type { ApiKeyPermissions } from '../../db/schema.js';

/** A key as the gate needs it once its secret matched: what it may do, from where, until when. */
export interface ApiKeyRow {
  id: string;
  keyId: string;
  accountId: string;
  authId: string;
  permissions: ApiKeyPermissions;
  sourceCidrs: string[];
  expiresAt: Date | null;
}

/** SQL for restricted API keys. */
export class ApiKeyStore {
  constructor(private readonly db: Db) {}

  private get q() {
    return executor(this.db);
  }

  async insert(key: {
    id: string;
    account_id: string;
    key_id: string;
    name: string;
    secret_encrypted: string;
    secret_digest: string;
    permissions: ApiKeyPermissions;
    source_cidrs: string[];
    expires_at: Date | null;
    created_by: string | null;
  }) {
    await this.q
      .insertInto('api_keys')
      .values({ ...key, permissions: JSON.stringify(key.permissions) })
      .execute();
  }

  /** The keys of a main account and its subaccounts, newest first, with whose they are. */
  ofMainAccount(mainAccountId: string) {
    return this.q
      .selectFrom('api_keys as k')
      .innerJoin('accounts as a', 'a.id', 'k.account_id')
      .leftJoin('users as creator', 'creator.id', 'k.created_by')
      .select([
        'k.id',
        'k.key_id',
        'k.name',
        'k.permissions',
        'k.source_cidrs',
        'k.expires_at',
        'k.created_at',
        'k.last_used_at',
        'k.revoked_at',
        'a.auth_id',
        'a.parent_account_id',
        'a.name as account_name',
        'creator.email as created_by_email',
      ])
      .where((eb) => eb.or([eb('a.id', '=', mainAccountId), eb('a.parent_account_id', '=', mainAccountId)]))
      .where('a.deleted_at', 'is', null)
      .orderBy('k.created_at', 'desc')
      .orderBy('k.id')
      .execute();
  }

  /** A key of the main account or one of its subaccounts, by its key id. */
  inMainAccount(mainAccountId: string, keyId: string) {
    return this.q
      .selectFrom('api_keys as k')
      .innerJoin('accounts as a', 'a.id', 'k.account_id')
      .select(['k.id', 'k.key_id', 'k.name', 'k.account_id', 'k.revoked_at'])
      .where('k.key_id', '=', keyId)
      .where((eb) => eb.or([eb('a.id', '=', mainAccountId), eb('a.parent_account_id', '=', mainAccountId)]))
      .executeTakeFirst();
  }

  /** The live key with this key id and secret digest (revoked ones are never found). */
  async liveByDigest(keyId: string, digest: string): Promise<ApiKeyRow | undefined> {
    const row = await this.q
      .selectFrom('api_keys as k')
      .innerJoin('accounts as a', 'a.id', 'k.account_id')
      .select([
        'k.id',
        'k.key_id',
        'k.account_id',
        'a.auth_id',
        'k.permissions',
        'k.source_cidrs',
        'k.expires_at',
      ])
      .where('k.key_id', '=', keyId)
      .where('k.secret_digest', '=', digest)
      .where('k.revoked_at', 'is', null)
      .executeTakeFirst();
    return (
      row && {
        id: row.id,
        keyId: row.key_id,
        accountId: row.account_id,
        authId: row.auth_id,
        permissions: row.permissions,
        sourceCidrs: row.source_cidrs,
        expiresAt: row.expires_at,
      }
    );
  }

  async revoke(id: string, by: string | null, at: Date): Promise<boolean> {
    const result = await this.q
      .updateTable('api_keys')
      .set({ revoked_at: at, revoked_by: by })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Records last use of many keys at once (the gate's request log batches these). */
  async touch(lastUse: Map<string, Date>) {
    if (lastUse.size === 0) return;
    const rows = [...lastUse].map(([id, at]) => sql`(${id}::uuid, ${at.toISOString()}::timestamptz)`);
    await sql`
      UPDATE api_keys SET last_used_at = GREATEST(api_keys.last_used_at, used.at)
      FROM (VALUES ${sql.join(rows)}) AS used(id, at)
      WHERE api_keys.id = used.id`.execute(this.q);
  }

  /** Deletes the keys of a main account and its subaccounts (closing the account); answers how many. */
  async removeAllOf(mainAccountId: string): Promise<number> {
    const result = await this.q
      .deleteFrom('api_keys')
      .where((eb) =>
        eb.or([
          eb('account_id', '=', mainAccountId),
          eb(
            'account_id',
            'in',
            eb.selectFrom('accounts').select('id').where('parent_account_id', '=', mainAccountId),
          ),
        ]),
      )
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
