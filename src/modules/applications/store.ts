import type { Insertable, Updateable } from 'kysely';
import { type Db, executor } from '../../db/database.js';
import type { ApplicationsTable } from '../../db/schema.js';
import type { ApiScope } from '../accounts/scope.js';

export type ApplicationRow = Awaited<ReturnType<ApplicationStore['byAppId']>> & {};

/** SQL for applications, always within a caller's scope. */
export class ApplicationStore {
  constructor(private readonly db: Db) {}

  private scoped(scope: ApiScope) {
    let query = executor(this.db)
      .selectFrom('applications')
      .leftJoin('accounts as sub', 'sub.id', 'applications.subaccount_id')
      .selectAll('applications')
      .select('sub.auth_id as subaccount_auth_id')
      .where('applications.account_id', '=', scope.mainAccountId);
    if (scope.subaccount) query = query.where('applications.subaccount_id', '=', scope.subaccount.id);
    return query;
  }

  byAppId(scope: ApiScope, appId: string) {
    return this.scoped(scope).where('applications.app_id', '=', appId).executeTakeFirst();
  }

  async page(
    scope: ApiScope,
    filter: { subaccountId?: string; appName?: string },
    limit: number,
    offset: number,
  ) {
    let query = this.scoped(scope);
    if (filter.subaccountId) query = query.where('applications.subaccount_id', '=', filter.subaccountId);
    if (filter.appName) query = query.where('applications.app_name', '=', filter.appName);
    const [rows, count] = await Promise.all([
      query
        .orderBy('applications.created_at', 'desc')
        .orderBy('applications.app_id')
        .limit(limit)
        .offset(offset)
        .execute(),
      query
        .clearSelect()
        .select((eb) => eb.fn.countAll<string>().as('count'))
        .executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(count.count) };
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
}
