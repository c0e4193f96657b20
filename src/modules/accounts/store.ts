import type { Updateable } from 'kysely';
import { type Db, executor } from '../../db/database.js';
import type { AccountsTable } from '../../db/schema.js';
import { membersWithRoles } from '../team/recipients.js';
import { startingStatus } from './lifecycle.js';

/** A phone number's digits as numbers are stored (E.164 without "+"), when the text is one. */
function phoneDigitsOf(text: string): string | null {
  if (!/^\+?[\d\s().-]+$/.test(text)) return null;
  const digits = text.replace(/\D/g, '');
  return digits.length >= 6 && digits.length <= 15 ? digits : null;
}

/** SQL for accounts. */
export class AccountStore {
  constructor(private readonly db: Db) {}

  private get q() {
    return executor(this.db);
  }

  async insert(account: { id: string; auth_id: string; name: string; signup_ip: string; currency: string }) {
    await this.q
      .insertInto('accounts')
      .values({ ...account, status: startingStatus.main })
      .execute();
  }

  async byId(id: string) {
    return this.q.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Changes anything but the status, which only the lifecycle writes. */
  async update(id: string, changes: Omit<Updateable<AccountsTable>, 'status'>) {
    await this.q.updateTable('accounts').set(changes).where('id', '=', id).execute();
  }

  /** Accounts under review, oldest first, with their owner. */
  async reviewQueue() {
    return this.q
      .selectFrom('accounts')
      .innerJoin('memberships', (join) =>
        join.onRef('memberships.account_id', '=', 'accounts.id').on('memberships.role', '=', 'owner'),
      )
      .innerJoin('users', 'users.id', 'memberships.user_id')
      .select([
        'accounts.id',
        'accounts.auth_id as authId',
        'accounts.name',
        'accounts.review_reason as reviewReason',
        'accounts.company_name as companyName',
        'accounts.website',
        'accounts.country',
        'accounts.intended_use as intendedUse',
        'accounts.signup_ip as signupIp',
        'accounts.created_at as createdAt',
        'users.email as ownerEmail',
        'users.name as ownerName',
      ])
      .where('accounts.status', '=', 'under_review')
      .orderBy('accounts.created_at')
      .execute();
  }

  /**
   * Accounts whose Auth ID, name, company name or owner email matches, or that rent the phone number
   * (E.164 or its digits) (staff search), newest first.
   */
  search(text: string) {
    const like = `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const digits = phoneDigitsOf(text);
    return this.q
      .selectFrom('accounts')
      .innerJoin('memberships', (join) =>
        join.onRef('memberships.account_id', '=', 'accounts.id').on('memberships.role', '=', 'owner'),
      )
      .innerJoin('users', 'users.id', 'memberships.user_id')
      .select([
        'accounts.id',
        'accounts.auth_id as authId',
        'accounts.name',
        'accounts.status',
        'users.email as ownerEmail',
        'accounts.created_at as createdAt',
      ])
      .where((eb) =>
        eb.or([
          eb('accounts.auth_id', '=', text.toUpperCase()),
          eb('users.email', 'like', like),
          eb(eb.fn('lower', ['accounts.name']), 'like', like),
          eb(eb.fn('lower', ['accounts.company_name']), 'like', like),
          ...(digits
            ? [
                eb.exists(
                  eb
                    .selectFrom('numbers')
                    .select('numbers.id')
                    .whereRef('numbers.account_id', '=', 'accounts.id')
                    .where('numbers.number', '=', digits),
                ),
              ]
            : []),
        ]),
      )
      .orderBy('accounts.created_at', 'desc')
      .limit(50)
      .execute();
  }

  /** The people told about security changes: the owner and admins. */
  securityContacts(accountId: string) {
    return membersWithRoles(this.db, accountId, ['owner', 'admin']);
  }

  async owner(accountId: string) {
    return this.q
      .selectFrom('memberships')
      .innerJoin('users', 'users.id', 'memberships.user_id')
      .select(['users.id', 'users.email', 'users.name'])
      .where('memberships.account_id', '=', accountId)
      .where('memberships.role', '=', 'owner')
      .executeTakeFirstOrThrow();
  }
}
