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

/** Who makes a change through /v1: the caller's address and client, and the Auth ID it used (audited as the actor). */
export function apiActorOf(request: {
  ip: string;
  headers: { 'user-agent'?: string };
  apiAccount: { authId: string };
  apiKey?: { keyId: string } | undefined;
}) {
  return {
    ip: request.ip,
    userAgent: request.headers['user-agent']?.slice(0, 400) ?? null,
    apiAuthId: request.apiAccount.authId,
    apiKeyId: request.apiKey?.keyId ?? null,
  };
}
