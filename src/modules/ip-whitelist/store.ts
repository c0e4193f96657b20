import { type Db, executor } from '../../db/database.js';

/** SQL for IP whitelist entries and the account's whitelist switch. */
export class IpWhitelistStore {
  constructor(private readonly db: Db) {}

  private get q() {
    return executor(this.db);
  }

  async enabled(accountId: string): Promise<boolean> {
    const row = await this.q
      .selectFrom('accounts')
      .select('ip_whitelist_enabled')
      .where('id', '=', accountId)
      .executeTakeFirstOrThrow();
    return row.ip_whitelist_enabled;
  }

  async setEnabled(accountId: string, enabled: boolean) {
    await this.q
      .updateTable('accounts')
      .set({ ip_whitelist_enabled: enabled })
      .where('id', '=', accountId)
      .execute();
  }

  entries(accountId: string) {
    return this.q
      .selectFrom('ip_whitelist_entries')
      .select(['id', 'cidr', 'created_at as createdAt'])
      .where('account_id', '=', accountId)
      .orderBy('created_at')
      .orderBy('cidr')
      .execute();
  }

  /** Adds the entry unless the account already lists the CIDR (two adds at once: one wins); answers whether it was added. */
  async insert(entry: { id: string; account_id: string; cidr: string; created_by: string | null }) {
    const added = await this.q
      .insertInto('ip_whitelist_entries')
      .values(entry)
      .onConflict((oc) => oc.columns(['account_id', 'cidr']).doNothing())
      .returning('id')
      .executeTakeFirst();
    return added !== undefined;
  }

  async remove(accountId: string, entryId: string) {
    return this.q
      .deleteFrom('ip_whitelist_entries')
      .where('id', '=', entryId)
      .where('account_id', '=', accountId)
      .returning('cidr')
      .executeTakeFirst();
  }
}
