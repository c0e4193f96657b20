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

/** The scope of the account the gate admitted (a subaccount knows its main account). */
export function scopeOf(account: {
  id: string;
  authId: string;
  main: { id: string; authId: string } | null;
}): ApiScope {
  return account.main
    ? {
        mainAccountId: account.main.id,
        mainAuthId: account.main.authId,
        subaccount: { id: account.id, authId: account.authId },
      }
    : { mainAccountId: account.id, mainAuthId: account.authId, subaccount: null };
}
