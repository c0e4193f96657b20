import { describe, expect, it } from 'vitest';
import type { SecretBox } from '../../lib/secrets.js';
import type { ApiKeyStore } from '../credentials/api-key-store.js';
import type { CredentialStore } from '../credentials/store.js';
import { AccountCache } from './account-cache.js';
import type { GateAccountRow, GateStore } from './store.js';

const main = { id: 'main-id', authId: 'MAMAINACCOUNT0000000' };

function subaccountRow(whitelistEnabled: boolean): GateAccountRow {
  return {
    id: 'sub-id',
    authId: 'SASUBACCOUNT00000000',
    main,
    enabled: true,
    status: 'active',
    suspensionReason: null,
    whitelistEnabled,
    whitelist: ['192.0.2.0/24'],
    limits: {},
    details: { name: 'Acme EU', city: '', address: '', state: '', timezone: 'UTC' },
  };
}

/** A cache over a database whose subaccount row is read as it stands when the read starts; reads wait for `release`. */
function cacheOverSlowReads() {
  let whitelistEnabled = false;
  const pending: (() => void)[] = [];
  const gateStore = {
    account: async () => {
      const row = subaccountRow(whitelistEnabled);
      await new Promise<void>((resolve) => pending.push(resolve));
      return row;
    },
  } as unknown as GateStore;
  const credentials = {
    liveTokenByDigest: async () => ({ id: 'token-id', token_digest: 'digest', accountId: 'sub-id' }),
  } as unknown as CredentialStore;
  const keys = { liveByDigest: async () => undefined } as unknown as ApiKeyStore;
  const secrets = { digest: (token: string) => `digest:${token}` } as unknown as SecretBox;
  return {
    cache: new AccountCache(gateStore, credentials, keys, secrets),
    enableWhitelist: () => {
      whitelistEnabled = true;
    },
    /** Resolves once a read has started (and so has seen the row as it stood). */
    reading: async () => {
      while (pending.length === 0) await new Promise((resolve) => setImmediate(resolve));
    },
    release: () => {
      for (const resolve of pending.splice(0)) resolve();
    },
  };
}

describe('a subaccount read while its main account changes', () => {
  it('is not remembered with the main account’s old whitelist', async () => {
    const { cache, enableWhitelist, reading, release } = cacheOverSlowReads();
    const first = cache.authenticate('SASUBACCOUNT00000000', 'token');
    await reading();
    enableWhitelist();
    cache.invalidate(main.authId);
    release();
    expect((await first)?.account.whitelist).toBeNull();
    expect(cache.cached('SASUBACCOUNT00000000', 'token')).toBeNull();
    const again = cache.authenticate('SASUBACCOUNT00000000', 'token');
    await reading();
    release();
    expect((await again)?.account.whitelist?.contains('198.18.0.7')).toBe(false);
    expect(cache.cached('SASUBACCOUNT00000000', 'token')?.account.whitelist).not.toBeNull();
  });

  it('is forgotten with its main account once cached', async () => {
    const { cache, reading, release } = cacheOverSlowReads();
    const first = cache.authenticate('SASUBACCOUNT00000000', 'token');
    await reading();
    release();
    await first;
    expect(cache.cached('SASUBACCOUNT00000000', 'token')).not.toBeNull();
    cache.invalidate(main.authId);
    expect(cache.cached('SASUBACCOUNT00000000', 'token')).toBeNull();
  });
});
