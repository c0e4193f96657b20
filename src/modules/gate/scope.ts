import type { GateAccount } from './account-cache.js';

/**
 * What a /v1 caller may see: a main account sees its own resources and all of its subaccounts';
 * a subaccount sees only its own.
 */
export interface ApiScope {
  mainAccountId: string;
  mainAuthId: string;
  /** Set when the caller is a subaccount. */
  subaccount: { id: string; authId: string } | null;
}

export function scopeOf(account: GateAccount): ApiScope {
  return account.main
    ? {
        mainAccountId: account.main.id,
        mainAuthId: account.main.authId,
        subaccount: { id: account.id, authId: account.authId },
      }
    : { mainAccountId: account.id, mainAuthId: account.authId, subaccount: null };
}
