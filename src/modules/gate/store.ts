import { type Db, executor } from '../../db/database.js';
import type { AccountStatus, RateClass } from '../../db/schema.js';

export interface GateAccountRow {
  id: string;
  authId: string;
  status: AccountStatus;
  whitelistEnabled: boolean;
  whitelist: string[];
  limits: Partial<Record<RateClass, number>>;
  details: AccountDetails;
}

/** The account fields the Account API answers, cached with the rest. */
export interface AccountDetails {
  name: string;
  city: string;
  address: string;
  state: string;
  timezone: string;
}

/** What the gate reads about an account on a cache miss. */
export class GateStore {
  constructor(private readonly db: Db) {}

  async account(authId: string): Promise<GateAccountRow | undefined> {
    const q = executor(this.db);
    const account = await q
      .selectFrom('accounts')
      .select([
        'id',
        'auth_id',
        'status',
        'ip_whitelist_enabled',
        'name',
        'city',
        'address',
        'state',
        'timezone',
      ])
      .where('auth_id', '=', authId)
      .executeTakeFirst();
    if (!account) return undefined;
    const [entries, limits] = await Promise.all([
      q.selectFrom('ip_whitelist_entries').select('cidr').where('account_id', '=', account.id).execute(),
      q
        .selectFrom('rate_limits')
        .select(['rate_class', 'requests_per_second'])
        .where('account_id', '=', account.id)
        .execute(),
    ]);
    return {
      id: account.id,
      authId: account.auth_id,
      status: account.status,
      whitelistEnabled: account.ip_whitelist_enabled,
      whitelist: entries.map((e) => e.cidr),
      limits: Object.fromEntries(limits.map((l) => [l.rate_class, l.requests_per_second])),
      details: {
        name: account.name,
        city: account.city,
        address: account.address,
        state: account.state,
        timezone: account.timezone,
      },
    };
  }
}
