import type { Insertable, Updateable } from 'kysely';
import { type Db, executor } from '../../db/database.js';
import { type OwnerScope, ownedWithin, pageOf, subaccountAuthIdOf } from '../../db/paging.js';
import type { ApplicationsTable } from '../../db/schema.js';

export type ApplicationRow = Awaited<ReturnType<ApplicationStore['byAppId']>> & {};

/** SQL for applications, always within a caller's scope. */
export class ApplicationStore {
  constructor(private readonly db: Db) {}

  private scoped(scope: OwnerScope) {
    return executor(this.db)
      .selectFrom('applications')
      .selectAll('applications')
      .select(subaccountAuthIdOf('applications'))
      .where(ownedWithin(scope, 'applications'));
  }

  byAppId(scope: OwnerScope, appId: string) {
    return this.scoped(scope).where('applications.app_id', '=', appId).executeTakeFirst();
  }

  async page(
    scope: OwnerScope,
    filter: { subaccountId?: string; appName?: string },
    limit: number,
    offset: number,
  ) {
    let query = this.scoped(scope);
    if (filter.subaccountId) query = query.where('applications.subaccount_id', '=', filter.subaccountId);
    if (filter.appName) query = query.where('applications.app_name', '=', filter.appName);
    return pageOf(query, (q) => q.orderBy('applications.created_at', 'desc').orderBy('applications.app_id'), {
      limit,
      offset,
    });
  }

  async insert(row: Insertable<ApplicationsTable>) {
    await executor(this.db).insertInto('applications').values(row).execute();
  }

  async update(id: string, changes: Updateable<ApplicationsTable>) {
    await executor(this.db).updateTable('applications').set(changes).where('id', '=', id).execute();
  }

  async namesOfSubaccount(subaccountId: string): Promise<string[]> {
    const rows = await executor(this.db)
      .selectFrom('applications')
      .select('app_name')
      .where('subaccount_id', '=', subaccountId)
      .orderBy('app_name')
      .execute();
    return rows.map((r) => r.app_name);
  }

  async idsOfSubaccount(subaccountId: string): Promise<string[]> {
    const rows = await executor(this.db)
      .selectFrom('applications')
      .select('id')
      .where('subaccount_id', '=', subaccountId)
      .execute();
    return rows.map((r) => r.id);
  }

  async moveSubaccountToMain(subaccountId: string) {
    await executor(this.db)
      .updateTable('applications')
      .set({ subaccount_id: null })
      .where('subaccount_id', '=', subaccountId)
      .execute();
  }

  async remove(id: string) {
    await executor(this.db).deleteFrom('applications').where('id', '=', id).execute();
  }

  /** Deletes every application of the account, its subaccounts' included; answers how many. */
  async removeAllOf(accountId: string): Promise<number> {
    const result = await executor(this.db)
      .deleteFrom('applications')
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
