import * as client from 'openid-client';
import { SsoErrors } from './errors.js';

/** What the service needs to reach an OpenID Connect provider. */
export interface OidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
}

/** The identity an OpenID Connect provider vouched for. */
export interface IdpIdentity {
  email: string;
  name: string | null;
  subject: string;
}

export type Fetch = typeof fetch;

const SCOPE = 'openid email profile';

/**
 * OpenID Connect, authorization code flow with PKCE, state and nonce (openid-client). Every request
 * to the provider goes through the given fetch, so an operator's network setup (or a test's own CA)
 * applies without any switch that weakens TLS checks.
 */
export class OidcClient {
  constructor(private readonly fetchImpl: Fetch) {}

  /** Discovery at `${issuer}/.well-known/openid-configuration`; a clear message when it fails. */
  async discover(provider: OidcProvider): Promise<client.Configuration> {
    let issuer: URL;
    try {
      issuer = new URL(provider.issuer);
    } catch {
      throw invalidIssuer('The issuer must be a URL such as https://login.example.com.');
    }
    if (issuer.protocol !== 'https:') throw invalidIssuer('The issuer must be an https:// address.');
    try {
      return await client.discovery(
        issuer,
        provider.clientId,
        undefined,
        client.ClientSecretBasic(provider.clientSecret),
        { [client.customFetch]: this.fetchImpl as client.CustomFetch },
      );
    } catch (error) {
      throw invalidIssuer(
        `Switchboard could not read the provider's discovery document at ${issuer.origin}${issuer.pathname.replace(/\/$/, '')}/.well-known/openid-configuration (${describe(error)}).`,
      );
    }
  }

  async authorizationUrl(
    provider: OidcProvider,
    params: { redirectUri: string; state: string; nonce: string; codeVerifier: string; loginHint?: string },
  ): Promise<string> {
    const config = await this.discover(provider);
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: params.redirectUri,
      scope: SCOPE,
      response_type: 'code',
      state: params.state,
      nonce: params.nonce,
      code_challenge: await client.calculatePKCECodeChallenge(params.codeVerifier),
      code_challenge_method: 'S256',
      ...(params.loginHint ? { login_hint: params.loginHint } : {}),
    });
    return url.href;
  }

  /**
   * Checks the authorization response (state, issuer), redeems the code with the PKCE verifier,
   * validates the ID token (signature, issuer, audience, expiry, nonce) and answers the email it
   * names (or the UserInfo endpoint's, when the ID token carries none).
   */
  async complete(
    provider: OidcProvider,
    callbackUrl: URL,
    checks: { state: string; nonce: string; codeVerifier: string },
  ): Promise<IdpIdentity> {
    const config = await this.discover(provider);
    let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
    try {
      tokens = await client.authorizationCodeGrant(config, callbackUrl, {
        expectedState: checks.state,
        expectedNonce: checks.nonce,
        pkceCodeVerifier: checks.codeVerifier,
        idTokenExpected: true,
      });
    } catch (error) {
      if (error instanceof client.AuthorizationResponseError) {
        throw SsoErrors.refusedByProvider(error.error_description ?? error.error);
      }
      throw SsoErrors.responseInvalid(
        `The identity provider's answer could not be verified (${describe(error)}).`,
      );
    }
    const claims = tokens.claims();
    if (!claims) throw SsoErrors.responseInvalid('The identity provider sent no ID token.');
    let email = typeof claims.email === 'string' ? claims.email : undefined;
    let verified = claims.email_verified;
    let name = typeof claims.name === 'string' ? claims.name : null;
    if (!email && tokens.access_token) {
      const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
      email = info.email;
      verified = info.email_verified;
      name = name ?? info.name ?? null;
    }
    if (!email) {
      throw SsoErrors.emailMissing(
        'The identity provider did not share an email address: allow the "email" scope for Switchboard.',
      );
    }
    if (verified === false) {
      throw SsoErrors.emailUnverified(email);
    }
    return { email, name, subject: claims.sub };
  }
}

const invalidIssuer = SsoErrors.oidcIssuerInvalid;

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}
