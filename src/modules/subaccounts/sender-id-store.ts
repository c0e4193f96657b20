import type { Insertable } from 'kysely';
import { type Db, executor } from '../../db/database.js';
import type { SenderIdsTable } from '../../db/schema.js';

/** SQL for subaccounts' whitelisted sender IDs. */
export class SenderIdStore {
  constructor(private readonly db: Db) {}

  list(subaccountId: string) {
    return executor(this.db)
      .selectFrom('sender_ids')
      .select(['id', 'sender_id as senderId', 'kind', 'created_at as createdAt'])
      .where('subaccount_id', '=', subaccountId)
      .orderBy('created_at')
      .execute();
  }

  async insert(row: Insertable<SenderIdsTable>) {
    await executor(this.db).insertInto('sender_ids').values(row).execute();
  }

  remove(subaccountId: string, id: string) {
    return executor(this.db)
      .deleteFrom('sender_ids')
      .where('id', '=', id)
      .where('subaccount_id', '=', subaccountId)
      .returning('sender_id')
      .executeTakeFirst();
  }
}
