import { timingSafeEqual } from 'node:crypto';
import type { AccountStatus, RateClass } from '../../db/schema.js';
import { CidrList } from '../../lib/cidr-list.js';
import type { SecretBox } from '../../lib/secrets.js';
import type { CredentialStore } from '../credentials/store.js';
import type { AccountDetails, GateStore } from './store.js';

export interface GateAccount {
  id: string;
  authId: string;
  /** For a subaccount, its main account. */
  main: { id: string; authId: string } | null;
  enabled: boolean;
  status: AccountStatus;
  /** null when IP whitelisting is off. */
  whitelist: CidrList | null;
  limits: Partial<Record<RateClass, number>>;
  details: AccountDetails;
}

interface Entry {
  account: GateAccount;
  verifiedTokens: { id: string; token: Buffer }[];
  expiresAt: number;
}

const TTL_MS = 60_000;
const MAX_ENTRIES = 20_000;

function sameToken(presented: Buffer, known: Buffer): boolean {
  return presented.length === known.length && timingSafeEqual(presented, known);
}

/**
 * The gate's view of accounts: verified credentials, allowlist, limits and state, kept in memory so
 * a request on a warm account touches no database and computes no digest. Entries are dropped when
 * an account-changed notification arrives (every instance listens), and after a minute regardless.
 */
export class AccountCache {
  readonly #entries = new Map<string, Entry>();
  readonly #generations = new Map<string, number>();

  constructor(
    private readonly gateStore: GateStore,
    private readonly credentials: CredentialStore,
    private readonly secrets: SecretBox,
    private readonly now: () => number = Date.now,
  ) {}

  /** The warm path: the account when this token was verified for it before and nothing changed since. */
  cached(authId: string, token: string): { account: GateAccount; tokenId: string } | null {
    const entry = this.#entries.get(authId);
    if (!entry || entry.expiresAt <= this.now()) return null;
    const presented = Buffer.from(token, 'utf8');
    for (const known of entry.verifiedTokens) {
      if (sameToken(presented, known.token)) return { account: entry.account, tokenId: known.id };
    }
    return null;
  }

  /** The cold path: checks the token's digest against the database and remembers a match. */
  async authenticate(
    authId: string,
    token: string,
  ): Promise<{ account: GateAccount; tokenId: string } | null> {
    const presented = Buffer.from(token, 'utf8');
    const entry = this.#entries.get(authId);
    const generation = this.#generations.get(authId) ?? 0;
    const row = await this.credentials.liveTokenByDigest(authId, this.secrets.digest(token));
    if (!row) return null;
    const account = entry && entry.expiresAt > this.now() ? entry.account : await this.load(authId);
    if (!account) return null;
    if ((this.#generations.get(authId) ?? 0) === generation) {
      const kept = entry && entry.account === account ? entry.verifiedTokens : [];
      this.remember(authId, {
        account,
        verifiedTokens: [...kept, { id: row.id, token: presented }],
        expiresAt: entry?.account === account ? entry.expiresAt : this.now() + TTL_MS,
      });
    }
    return { account, tokenId: row.id };
  }

  /** Forgets an account (its credentials, allowlist, limits or state changed); "*" forgets every account. */
  invalidate(authId: string): void {
    if (authId === '*') {
      this.#entries.clear();
      for (const key of this.#generations.keys())
        this.#generations.set(key, (this.#generations.get(key) ?? 0) + 1);
      return;
    }
    this.#entries.delete(authId);
    this.#generations.set(authId, (this.#generations.get(authId) ?? 0) + 1);
  }

  private async load(authId: string): Promise<GateAccount | null> {
    const row = await this.gateStore.account(authId);
    if (!row) return null;
    return {
      id: row.id,
      authId: row.authId,
      main: row.main,
      enabled: row.enabled,
      status: row.status,
      whitelist: row.whitelistEnabled ? CidrList.fromText(row.whitelist.join('\n'), 'whitelist') : null,
      limits: row.limits,
      details: row.details,
    };
  }

  private remember(authId: string, entry: Entry) {
    if (this.#entries.size >= MAX_ENTRIES && !this.#entries.has(authId)) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    this.#entries.set(authId, entry);
  }
}
