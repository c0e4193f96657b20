import type { Insertable, Updateable } from 'kysely';
import { type Db, executor } from '../../db/database.js';
import { type OwnerScope, ownedWithin, pageOf, subaccountAuthIdOf } from '../../db/paging.js';
import type { EndpointsTable } from '../../db/schema.js';

/** SQL for SIP endpoints, always within a caller's scope. */
export class EndpointStore {
  constructor(private readonly db: Db) {}

  private scoped(scope: OwnerScope) {
    return executor(this.db)
      .selectFrom('endpoints')
      .leftJoin('applications', 'applications.id', 'endpoints.application_id')
      .selectAll('endpoints')
      .select([subaccountAuthIdOf('endpoints'), 'applications.app_id'])
      .where(ownedWithin(scope, 'endpoints'));
  }

  byEndpointId(scope: OwnerScope, endpointId: string) {
    return this.scoped(scope).where('endpoints.endpoint_id', '=', endpointId).executeTakeFirst();
  }

  async page(scope: OwnerScope, limit: number, offset: number) {
    return pageOf(
      this.scoped(scope),
      (q) => q.orderBy('endpoints.created_at', 'desc').orderBy('endpoints.endpoint_id'),
      { limit, offset },
    );
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

  /** Deletes every endpoint of the account, its subaccounts' included; answers how many. */
  async removeAllOf(accountId: string): Promise<number> {
    const result = await executor(this.db)
      .deleteFrom('endpoints')
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
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
