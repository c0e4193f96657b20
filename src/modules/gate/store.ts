import { type Db, executor } from '../../db/database.js';
import type { AccountStatus, RateClass, SuspensionReason } from '../../db/schema.js';

export interface GateAccountRow {
  id: string;
  authId: string;
  /** For a subaccount, its main account; the main account's state, whitelist and limits apply to it. */
  main: { id: string; authId: string } | null;
  enabled: boolean;
  status: AccountStatus;
  /** While suspended: why (the main account's current suspension). */
  suspensionReason: SuspensionReason | null;
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
      .leftJoin('accounts as main', 'main.id', 'accounts.parent_account_id')
      .select([
        'accounts.id',
        'accounts.auth_id',
        'accounts.status',
        'accounts.enabled',
        'accounts.deleted_at',
        'accounts.name',
        'accounts.city',
        'accounts.address',
        'accounts.state',
        'accounts.timezone',
        'main.id as main_id',
        'main.auth_id as main_auth_id',
        'main.status as main_status',
      ])
      .where('accounts.auth_id', '=', authId)
      .executeTakeFirst();
    if (!account || account.deleted_at) return undefined;
    // Whitelist, limits and state are the main account's: its policy covers its subaccounts.
    const policyAccountId = account.main_id ?? account.id;
    const [policy, entries, limits, suspension] = await Promise.all([
      q
        .selectFrom('accounts')
        .select('ip_whitelist_enabled')
        .where('id', '=', policyAccountId)
        .executeTakeFirstOrThrow(),
      q.selectFrom('ip_whitelist_entries').select('cidr').where('account_id', '=', policyAccountId).execute(),
      q
        .selectFrom('rate_limits')
        .select(['rate_class', 'requests_per_second'])
        .where('account_id', '=', policyAccountId)
        .execute(),
      q
        .selectFrom('account_suspensions')
        .select('reason')
        .where('account_id', '=', policyAccountId)
        .where('ended_at', 'is', null)
        .executeTakeFirst(),
    ]);
    return {
      id: account.id,
      authId: account.auth_id,
      main:
        account.main_id && account.main_auth_id
          ? { id: account.main_id, authId: account.main_auth_id }
          : null,
      enabled: account.enabled,
      status: account.main_status ?? account.status,
      suspensionReason: suspension?.reason ?? null,
      whitelistEnabled: policy.ip_whitelist_enabled,
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
