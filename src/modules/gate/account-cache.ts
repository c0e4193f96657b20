import { timingSafeEqual } from 'node:crypto';
import type { AccountStatus, ApiKeyPermissions, RateClass, SuspensionReason } from '../../db/schema.js';
import { CidrList } from '../../lib/cidr-list.js';
import type { SecretBox } from '../../lib/secrets.js';
import type { ApiKeyStore } from '../credentials/api-key-store.js';
import type { CredentialStore } from '../credentials/store.js';
import type { AccountDetails, GateStore } from './store.js';

export interface GateAccount {
  id: string;
  authId: string;
  /** For a subaccount, its main account. */
  main: { id: string; authId: string } | null;
  enabled: boolean;
  status: AccountStatus;
  /** While suspended: why. */
  suspensionReason: SuspensionReason | null;
  /** null when IP whitelisting is off. */
  whitelist: CidrList | null;
  limits: Partial<Record<RateClass, number>>;
  details: AccountDetails;
}

/** A restricted API key the gate admitted: what it may do, from where, until when. */
export interface GateKey {
  /** The key's row id (its last use is recorded by it). */
  id: string;
  keyId: string;
  permissions: ApiKeyPermissions;
  /** null when the key names no source addresses. */
  sources: CidrList | null;
  expiresAt: Date | null;
}

interface Entry {
  account: GateAccount;
  verifiedTokens: { id: string; token: Buffer }[];
  verifiedKeys: { key: GateKey; secret: Buffer }[];
  expiresAt: number;
}

const TTL_MS = 60_000;
const MAX_ENTRIES = 20_000;

function sameToken(presented: Buffer, known: Buffer): boolean {
  return presented.length === known.length && timingSafeEqual(presented, known);
}

/**
 * The gate's view of accounts: verified credentials, allowlist, limits and state, kept in memory so
 * a request on a warm account touches no database and computes no digest. An account-changed
 * notification (every instance listens, the announcing one included) drops the account's entry and,
 * for a main account, its subaccounts' entries too, since their state, allowlist and limits are the
 * main account's. Entries also expire after a minute regardless.
 */
export class AccountCache {
  readonly #entries = new Map<string, Entry>();
  /** Main account Auth ID -> the Auth IDs of its subaccounts that have an entry. */
  readonly #subaccounts = new Map<string, Set<string>>();
  /** Key id -> the Auth ID of the account whose entry holds the verified key. */
  readonly #keyAccounts = new Map<string, string>();
  /** Counts invalidations: a load that overlapped one may be stale and is not remembered. */
  #invalidations = 0;

  constructor(
    private readonly gateStore: GateStore,
    private readonly credentials: CredentialStore,
    private readonly keys: ApiKeyStore,
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

  /** The warm path for a restricted API key: its account and what it may do, when this secret was verified before and nothing changed since. */
  cachedKey(keyId: string, secret: string): { account: GateAccount; key: GateKey } | null {
    const authId = this.#keyAccounts.get(keyId);
    const entry = authId === undefined ? undefined : this.#entries.get(authId);
    if (!entry || entry.expiresAt <= this.now()) return null;
    const presented = Buffer.from(secret, 'utf8');
    for (const known of entry.verifiedKeys) {
      if (known.key.keyId === keyId && sameToken(presented, known.secret))
        return { account: entry.account, key: known.key };
    }
    return null;
  }

  /** The cold path for a key: its secret's digest checked against the database, a match remembered with its account. */
  async authenticateKey(
    keyId: string,
    secret: string,
  ): Promise<{ account: GateAccount; key: GateKey } | null> {
    const invalidations = this.#invalidations;
    const row = await this.keys.liveByDigest(keyId, this.secrets.digest(secret));
    if (!row) return null;
    const entry = this.#entries.get(row.authId);
    const warm = entry && entry.expiresAt > this.now() ? entry : undefined;
    const account = warm ? warm.account : await this.load(row.authId);
    if (!account) return null;
    const key: GateKey = {
      id: row.id,
      keyId: row.keyId,
      permissions: row.permissions,
      sources:
        row.sourceCidrs.length > 0 ? CidrList.fromText(row.sourceCidrs.join('\n'), 'key sources') : null,
      expiresAt: row.expiresAt,
    };
    if (this.#invalidations === invalidations) {
      this.remember(row.authId, {
        account,
        verifiedTokens: warm?.verifiedTokens ?? [],
        verifiedKeys: [...(warm?.verifiedKeys ?? []), { key, secret: Buffer.from(secret, 'utf8') }],
        expiresAt: warm?.expiresAt ?? this.now() + TTL_MS,
      });
    }
    return { account, key };
  }

  /** The cold path: checks the token's digest against the database and remembers a match. */
  async authenticate(
    authId: string,
    token: string,
  ): Promise<{ account: GateAccount; tokenId: string } | null> {
    const presented = Buffer.from(token, 'utf8');
    const invalidations = this.#invalidations;
    const row = await this.credentials.liveTokenByDigest(authId, this.secrets.digest(token));
    if (!row) return null;
    const entry = this.#entries.get(authId);
    const warm = entry && entry.expiresAt > this.now() ? entry : undefined;
    const account = warm ? warm.account : await this.load(authId);
    if (!account) return null;
    if (this.#invalidations === invalidations) {
      this.remember(authId, {
        account,
        verifiedTokens: [...(warm?.verifiedTokens ?? []), { id: row.id, token: presented }],
        verifiedKeys: warm?.verifiedKeys ?? [],
        expiresAt: warm?.expiresAt ?? this.now() + TTL_MS,
      });
    }
    return { account, tokenId: row.id };
  }

  /**
   * Forgets an account whose credentials, allowlist, limits or state changed, and for a main account
   * all its subaccounts; "*" forgets every account.
   */
  invalidate(authId: string): void {
    this.#invalidations++;
    if (authId === '*') {
      this.#entries.clear();
      this.#subaccounts.clear();
      this.#keyAccounts.clear();
      return;
    }
    this.drop(authId);
    for (const subaccount of [...(this.#subaccounts.get(authId) ?? [])]) this.drop(subaccount);
    this.#subaccounts.delete(authId);
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
      suspensionReason: row.suspensionReason,
      whitelist: row.whitelistEnabled ? CidrList.fromText(row.whitelist.join('\n'), 'whitelist') : null,
      limits: row.limits,
      details: row.details,
    };
  }

  private remember(authId: string, entry: Entry) {
    if (this.#entries.size >= MAX_ENTRIES && !this.#entries.has(authId)) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.drop(oldest);
    }
    this.#entries.set(authId, entry);
    for (const { key } of entry.verifiedKeys) this.#keyAccounts.set(key.keyId, authId);
    const main = entry.account.main?.authId;
    if (main) {
      const family = this.#subaccounts.get(main) ?? new Set();
      family.add(authId);
      this.#subaccounts.set(main, family);
    }
  }

  private drop(authId: string) {
    const entry = this.#entries.get(authId);
    for (const { key } of entry?.verifiedKeys ?? []) this.#keyAccounts.delete(key.keyId);
    const main = entry?.account.main?.authId;
    this.#entries.delete(authId);
    if (!main) return;
    const family = this.#subaccounts.get(main);
    family?.delete(authId);
    if (family?.size === 0) this.#subaccounts.delete(main);
  }
}
