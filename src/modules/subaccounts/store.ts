import { sql } from 'kysely';
import { type Db, executor } from '../../db/database.js';
import { startingStatus } from '../accounts/lifecycle.js';

/** SQL for subaccounts: account rows with a main account. */
export class SubaccountStore {
  constructor(private readonly db: Db) {}

  private get q() {
    return executor(this.db);
  }

  private live(mainAccountId: string) {
    return this.q
      .selectFrom('accounts')
      .where('parent_account_id', '=', mainAccountId)
      .where('deleted_at', 'is', null);
  }

  /** A subaccount is in its main account's currency. */
  async insert(row: {
    id: string;
    auth_id: string;
    name: string;
    parent_account_id: string;
    enabled: boolean;
  }) {
    await this.q
      .insertInto('accounts')
      .values(({ selectFrom }) => ({
        ...row,
        status: startingStatus.subaccount,
        signup_ip: null,
        currency: selectFrom('accounts').select('currency').where('id', '=', row.parent_account_id),
      }))
      .execute();
  }

  page(mainAccountId: string, limit: number, offset: number) {
    return this.live(mainAccountId)
      .select(['id', 'auth_id', 'name', 'enabled', 'created_at', 'modified_at'])
      .orderBy('created_at', 'desc')
      .orderBy('auth_id')
      .limit(limit)
      .offset(offset)
      .execute();
  }

  async count(mainAccountId: string): Promise<number> {
    const row = await this.live(mainAccountId)
      .select(sql<number>`count(*)::int`.as('count'))
      .executeTakeFirstOrThrow();
    return row.count;
  }

  byAuthId(mainAccountId: string, authId: string) {
    return this.live(mainAccountId)
      .select(['id', 'auth_id', 'name', 'enabled', 'created_at', 'modified_at'])
      .where('auth_id', '=', authId)
      .executeTakeFirst();
  }

  byId(mainAccountId: string, id: string) {
    return this.live(mainAccountId)
      .select(['id', 'auth_id', 'name', 'enabled', 'created_at', 'modified_at'])
      .where('id', '=', id)
      .executeTakeFirst();
  }

  async update(
    id: string,
    changes: { name?: string; enabled?: boolean; modified_at?: Date; deleted_at?: Date },
  ) {
    await this.q.updateTable('accounts').set(changes).where('id', '=', id).execute();
  }

  /** Marks every live subaccount of the main account deleted and disabled; answers their ids. */
  async deleteAllOf(mainAccountId: string, at: Date): Promise<string[]> {
    const rows = await this.q
      .updateTable('accounts')
      .set({ deleted_at: at, enabled: false })
      .where('parent_account_id', '=', mainAccountId)
      .where('deleted_at', 'is', null)
      .returning('id')
      .execute();
    return rows.map((row) => row.id);
  }
}
