import type { Insertable, Updateable } from 'kysely';
import { type Db, executor } from '../../db/database.js';
import type { EndpointsTable } from '../../db/schema.js';
import type { ApiScope } from '../accounts/scope.js';

/** SQL for SIP endpoints, always within a caller's scope. */
export class EndpointStore {
  constructor(private readonly db: Db) {}

  private scoped(scope: ApiScope) {
    let query = executor(this.db)
      .selectFrom('endpoints')
      .leftJoin('accounts as sub', 'sub.id', 'endpoints.subaccount_id')
      .leftJoin('applications', 'applications.id', 'endpoints.application_id')
      .selectAll('endpoints')
      .select(['sub.auth_id as subaccount_auth_id', 'applications.app_id'])
      .where('endpoints.account_id', '=', scope.mainAccountId);
    if (scope.subaccount) query = query.where('endpoints.subaccount_id', '=', scope.subaccount.id);
    return query;
  }

  byEndpointId(scope: ApiScope, endpointId: string) {
    return this.scoped(scope).where('endpoints.endpoint_id', '=', endpointId).executeTakeFirst();
  }

  async page(scope: ApiScope, limit: number, offset: number) {
    const query = this.scoped(scope);
    const [rows, count] = await Promise.all([
      query
        .orderBy('endpoints.created_at', 'desc')
        .orderBy('endpoints.endpoint_id')
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

  async usernameTaken(username: string): Promise<boolean> {
    return Boolean(
      await executor(this.db)
        .selectFrom('endpoints')
        .select('id')
        .where('username', '=', username)
        .executeTakeFirst(),
    );
  }

  async insert(row: Insertable<EndpointsTable>) {
    await executor(this.db).insertInto('endpoints').values(row).execute();
  }

  async update(id: string, changes: Updateable<EndpointsTable>) {
    await executor(this.db).updateTable('endpoints').set(changes).where('id', '=', id).execute();
  }

  async remove(id: string) {
    await executor(this.db).deleteFrom('endpoints').where('id', '=', id).execute();
  }

  async releaseSubaccount(subaccountId: string, deleteThem: boolean) {
    if (deleteThem)
      await executor(this.db).deleteFrom('endpoints').where('subaccount_id', '=', subaccountId).execute();
    else
      await executor(this.db)
        .updateTable('endpoints')
        .set({ subaccount_id: null })
        .where('subaccount_id', '=', subaccountId)
        .execute();
  }

  /** Endpoints linked to an application: deleted with it, or moved to another application (or none). */
  async detachFromApplication(
    applicationId: string,
    options: { deleteThem: boolean; moveTo: string | null },
  ) {
    if (options.deleteThem) {
      await executor(this.db).deleteFrom('endpoints').where('application_id', '=', applicationId).execute();
    } else {
      await executor(this.db)
        .updateTable('endpoints')
        .set({ application_id: options.moveTo })
        .where('application_id', '=', applicationId)
        .execute();
    }
  }
}
