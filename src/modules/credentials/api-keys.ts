import { randomInt } from 'node:crypto';
import { type Db, inTransaction } from '../../db/database.js';
import type { ApiKeyPermissions } from '../../db/schema.js';
import type { EventBus } from '../../events/bus.js';
import { type ApiKeyAction, type ApiKeyResource, apiKeyResources } from '../../http/permissions.js';
import { canonicalCidr } from '../../lib/cidr-list.js';
import type { Clock } from '../../lib/clock.js';
import { assertThat } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import type { SecretBox } from '../../lib/secrets.js';
import type { Actor, AuditLog } from '../audit/audit.js';
import type { SubaccountStore } from '../subaccounts/store.js';
import { ApiKeyStore } from './api-key-store.js';
import { ApiKeyErrors } from './errors.js';
import { newAuthToken } from './service.js';

const KEY_ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
/** Key ids: `SK` and 18 upper-case letters and digits (Auth IDs start MA or SA). */
export const API_KEY_ID = /^SK[A-Z0-9]{18}$/;
export const MAX_SOURCE_CIDRS = 20;

export function newApiKeyId(): string {
  let id = 'SK';
  for (let i = 0; i < 18; i++) id += KEY_ID_ALPHABET[randomInt(KEY_ID_ALPHABET.length)];
  return id;
}

/** What a key is asked to be (the console's form). */
export interface ApiKeyRequest {
  name: string;
  /** A subaccount's Auth ID: the key is the subaccount's; absent, the main account's. */
  subaccount?: string | undefined;
  /** ISO 8601 time it stops working; absent, never. */
  expiresAt?: string | undefined;
  sourceCidrs?: string[] | undefined;
  fullAccess: boolean;
  /** Resource → actions, when not full access. */
  grants?: Record<string, string[]> | undefined;
}

export interface ApiKeyView {
  keyId: string;
  name: string;
  /** The Auth ID of the account or subaccount the key belongs to. */
  authId: string;
  subaccount: { authId: string; name: string } | null;
  fullAccess: boolean;
  grants: Record<string, string[]>;
  sourceCidrs: string[];
  expiresAt: Date | null;
  createdAt: Date;
  createdBy: string | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  status: 'active' | 'expired' | 'revoked';
}

/**
 * Restricted API keys: besides the Auth Token, keys that may do only what they name, from the
 * addresses they name, until they expire. The secret is shown once and kept as Auth Tokens are
 * (encrypted, found by its HMAC digest); a revoked key is forgotten by every instance's gate.
 */
export class ApiKeys {
  readonly store: ApiKeyStore;

  constructor(
    private readonly db: Db,
    private readonly secrets: SecretBox,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
    private readonly events: EventBus,
    private readonly subaccounts: Pick<SubaccountStore, 'byAuthId'>,
  ) {
    this.store = new ApiKeyStore(db);
  }

  async list(mainAccountId: string): Promise<ApiKeyView[]> {
    const now = this.clock.now().getTime();
    const rows = await this.store.ofMainAccount(mainAccountId);
    return rows.map((row) => ({
      keyId: row.key_id,
      name: row.name,
      authId: row.auth_id,
      subaccount: row.parent_account_id ? { authId: row.auth_id, name: row.account_name } : null,
      fullAccess: row.permissions.full_access,
      grants: row.permissions.full_access ? {} : row.permissions.grants,
      sourceCidrs: row.source_cidrs,
      expiresAt: row.expires_at,
      createdAt: row.created_at,
      createdBy: row.created_by_email,
      lastUsedAt: row.last_used_at,
      revokedAt: row.revoked_at,
      status: row.revoked_at
        ? 'revoked'
        : row.expires_at && row.expires_at.getTime() <= now
          ? 'expired'
          : 'active',
    }));
  }

  /** Creates a key; answers its id and secret, shown this once. */
  async create(actor: Actor, mainAccountId: string, request: ApiKeyRequest) {
    const name = request.name.trim();
    assertThat(
      name.length >= 1 && name.length <= 100,
      ApiKeyErrors.invalid('name', 'Give the key a name of 1 to 100 characters, such as "SMS sender".'),
    );
    let accountId = mainAccountId;
    if (request.subaccount !== undefined) {
      const subaccount = await this.subaccounts.byAuthId(mainAccountId, request.subaccount);
      assertThat(
        subaccount,
        ApiKeyErrors.invalid('subaccount', `No subaccount ${request.subaccount} in this account.`),
      );
      accountId = subaccount.id;
    }
    const expiresAt = this.#expiry(request.expiresAt);
    const sourceCidrs = this.#cidrs(request.sourceCidrs ?? []);
    const permissions = this.#permissions(request, request.subaccount !== undefined);
    const secret = newAuthToken();
    const keyId = newApiKeyId();
    return inTransaction(this.db, async () => {
      await this.store.insert({
        id: newId(),
        account_id: accountId,
        key_id: keyId,
        name,
        secret_encrypted: this.secrets.encrypt(secret),
        secret_digest: this.secrets.digest(secret),
        permissions,
        source_cidrs: sourceCidrs,
        expires_at: expiresAt,
        created_by: actor.userId ?? null,
      });
      await this.audit.record(actor, {
        action: 'api_key.created',
        accountId,
        details: {
          keyId,
          name,
          permissions,
          sourceCidrs,
          expiresAt: expiresAt?.toISOString() ?? null,
        },
      });
      return { keyId, secret };
    });
  }

  /** Revokes a key at once, on every instance. */
  async revoke(actor: Actor, mainAccountId: string, keyId: string) {
    await inTransaction(this.db, async () => {
      const key = API_KEY_ID.test(keyId) ? await this.store.inMainAccount(mainAccountId, keyId) : undefined;
      assertThat(key, () => ApiKeyErrors.keyNotFound(keyId));
      assertThat(await this.store.revoke(key.id, actor.userId ?? null, this.clock.now()), () =>
        ApiKeyErrors.alreadyRevoked(keyId),
      );
      await this.audit.record(actor, {
        action: 'api_key.revoked',
        accountId: key.account_id,
        details: { keyId, name: key.name },
      });
      await this.events.publish('api_key.revoked', { accountId: key.account_id, keyId });
    });
  }

  #expiry(text: string | undefined): Date | null {
    if (text === undefined) return null;
    const at = new Date(text);
    assertThat(
      Number.isFinite(at.getTime()),
      ApiKeyErrors.invalid('expiresAt', `expiresAt "${text}" is not a time such as 2027-06-30T00:00:00Z.`),
    );
    assertThat(
      at.getTime() > this.clock.now().getTime(),
      ApiKeyErrors.invalid('expiresAt', 'The expiry must be in the future.'),
    );
    return at;
  }

  #cidrs(texts: string[]): string[] {
    assertThat(
      texts.length <= MAX_SOURCE_CIDRS,
      ApiKeyErrors.invalid('sourceCidrs', `A key may name at most ${MAX_SOURCE_CIDRS} source addresses.`),
    );
    const cidrs = texts.map((text) => {
      try {
        return canonicalCidr(text);
      } catch (error) {
        throw ApiKeyErrors.invalid('sourceCidrs', `${(error as Error).message}.`);
      }
    });
    return [...new Set(cidrs)];
  }

  #permissions(request: ApiKeyRequest, forSubaccount: boolean): ApiKeyPermissions {
    const grants = request.grants ?? {};
    if (request.fullAccess) {
      assertThat(
        Object.keys(grants).length === 0,
        ApiKeyErrors.invalid('grants', 'A full-access key names no permissions: it has them all.'),
      );
      return { full_access: true };
    }
    const chosen: Record<string, string[]> = {};
    for (const [resource, actions] of Object.entries(grants)) {
      const allowed = (apiKeyResources as Record<string, readonly ApiKeyAction[]>)[resource];
      assertThat(
        allowed,
        ApiKeyErrors.invalid(
          'grants',
          `"${resource}" is not an API resource: choose from ${Object.keys(apiKeyResources).join(', ')}.`,
        ),
      );
      assertThat(
        !(forSubaccount && (resource as ApiKeyResource) === 'Subaccount'),
        ApiKeyErrors.invalid('grants', 'A subaccount cannot manage subaccounts, so neither can its keys.'),
      );
      for (const action of actions)
        assertThat(
          (allowed as readonly string[]).includes(action),
          ApiKeyErrors.invalid(
            'grants',
            `${resource} has no action "${action}": choose from ${allowed.join(', ')}.`,
          ),
        );
      if (actions.length > 0) chosen[resource] = allowed.filter((action) => actions.includes(action));
    }
    assertThat(
      Object.keys(chosen).length > 0,
      ApiKeyErrors.invalid('grants', 'Choose at least one permission, or full access.'),
    );
    return { full_access: false, grants: chosen };
  }
}
