import { type Db, executor } from '../../db/database.js';
import type { Role } from '../../db/schema.js';

/**
 * The names and addresses of an account's members with these roles, by address: who a message about
 * the account goes to (invoices, payment failures, spend caps, security notices). Read inside the
 * caller's transaction when there is one.
 */
export function membersWithRoles(
  db: Db,
  accountId: string,
  roles: readonly Role[],
): Promise<{ email: string; name: string }[]> {
  return executor(db)
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['u.email', 'u.name'])
    .where('m.account_id', '=', accountId)
    .where('m.role', 'in', [...roles])
    .orderBy('u.email')
    .execute();
}
