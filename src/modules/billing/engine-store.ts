import { sql } from 'kysely';
import { type Db, executor } from '../../db/database.js';
import type { DisconnectProtocol } from '../../db/schema.js';

/** An engine credential as staff see it: never its key or digest. */
export interface EngineView {
  id: string;
  name: string;
  createdBy: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  /** Where credit control's disconnect webhook goes; null when the engine has none. */
  disconnectUrl: string | null;
  /** How the engine is told: a signed webhook, or Kamailio's JSON-RPC. */
  disconnectProtocol: DisconnectProtocol;
  /** Credit sessions it opened that are open now. */
  openSessions: number;
}

/** SQL for the `engines` table. */
export class EngineStore {
  constructor(private readonly db: Db) {}

  /** Inserts an engine; answers false when its name is taken (also by a concurrent insert). */
  async insert(row: { id: string; name: string; keyDigest: string; createdBy: string }): Promise<boolean> {
    const inserted = await executor(this.db)
      .insertInto('engines')
      .values({ id: row.id, name: row.name, key_digest: row.keyDigest, created_by: row.createdBy })
      .onConflict((conflict) => conflict.column('name').doNothing())
      .returning('id')
      .executeTakeFirst();
    return inserted !== undefined;
  }

  /** What authentication needs: the digest, and whether the engine was revoked. */
  async credential(id: string) {
    return executor(this.db)
      .selectFrom('engines')
      .select(['key_digest', 'revoked_at'])
      .where('id', '=', id)
      .executeTakeFirst();
  }

  /** Every engine, newest first, with its credit sessions open now counted in the same query. */
  async list(): Promise<EngineView[]> {
    const rows = await executor(this.db)
      .selectFrom('engines')
      .leftJoin('credit_sessions', (join) =>
        join.onRef('credit_sessions.engine_id', '=', 'engines.id').on('credit_sessions.status', '=', 'open'),
      )
      .select([
        'engines.id',
        'engines.name',
        'engines.created_by as createdBy',
        'engines.created_at as createdAt',
        'engines.last_used_at as lastUsedAt',
        'engines.revoked_at as revokedAt',
        'engines.disconnect_url as disconnectUrl',
        'engines.disconnect_protocol as disconnectProtocol',
        sql<string>`count(credit_sessions.id)::text`.as('openSessions'),
      ])
      .groupBy('engines.id')
      .orderBy('engines.created_at', 'desc')
      .orderBy('engines.name')
      .execute();
    return rows.map((row) => ({ ...row, openSessions: Number(row.openSessions) }));
  }

  /** Revokes a live engine; answers its name, or undefined when there is none or it was revoked already. */
  async revoke(id: string, at: Date) {
    return executor(this.db)
      .updateTable('engines')
      .set({ revoked_at: at })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .returning('name')
      .executeTakeFirst();
  }

  async exists(id: string) {
    return Boolean(
      await executor(this.db).selectFrom('engines').select('id').where('id', '=', id).executeTakeFirst(),
    );
  }

  async setDisconnect(id: string, url: string, secretEncrypted: string, protocol: DisconnectProtocol) {
    await executor(this.db)
      .updateTable('engines')
      .set({ disconnect_url: url, signing_secret_encrypted: secretEncrypted, disconnect_protocol: protocol })
      .where('id', '=', id)
      .execute();
  }

  async disconnectTarget(id: string) {
    return executor(this.db)
      .selectFrom('engines')
      .select(['disconnect_url', 'signing_secret_encrypted', 'disconnect_protocol', 'revoked_at'])
      .where('id', '=', id)
      .executeTakeFirst();
  }

  /** Moves last_used_at forward (never back). */
  async touch(id: string, at: Date) {
    await executor(this.db)
      .updateTable('engines')
      .set({ last_used_at: at })
      .where('id', '=', id)
      .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', at)]))
      .execute();
  }
}
