import { inTransaction } from '../../db/database.js';
import type { SsoProtocol } from '../../db/schema.js';
import { assertThat, DomainError } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { randomToken } from '../../lib/secrets.js';
import type { Actor } from '../audit/audit.js';
import { type Client, type SsoDeps, throttles } from '../identity/deps.js';
import { hasSecondFactor } from '../identity/factors.js';
import { hashPassword } from '../identity/passwords.js';
import type { Session } from '../identity/sessions.js';
import { emailDomain, normaliseEmail } from '../identity/work-email.js';
import { INVITATION_DAYS } from '../team/service.js';
import type { TeamStore } from '../team/store.js';
import { SsoErrors } from './errors.js';
import type { IdpIdentity, OidcClient, OidcProvider } from './oidc.js';
import type { ServiceProviderUrls } from './provider-urls.js';
import { type SamlClient, type SamlProvider, splitCertificates } from './saml.js';
import type { AttemptRow, ConnectionRow, SsoStore } from './store.js';

/** A sign-in attempt lasts as long as a person reasonably spends at their identity provider. */
const ATTEMPT_MINUTES = 10;

/** How a callback ended, for the route to send the browser on. */
export type CallbackOutcome =
  | { purpose: 'sign_in'; sessionToken: string; stage: 'second_factor' | 'onboarding' }
  | { purpose: 'test' }
  | { purpose: 'sign_in' | 'test' | null; error: DomainError };

const startThrottle = {
  name: 'sso-start-ip',
  points: 30,
  durationSeconds: 15 * 60,
  message: 'Too many single sign-on attempts from your network. Try again in 15 minutes.',
};

const attemptUnknown = SsoErrors.stateInvalid;

/**
 * Signing in through the account's identity provider. SSO replaces the password step only: the
 * session it opens owes the second factor ('second_factor'), or enrolment of one ('onboarding'),
 * exactly like a password sign-in.
 */
export class SsoSignIn {
  constructor(
    private readonly deps: SsoDeps,
    private readonly teamStore: TeamStore,
    private readonly store: SsoStore,
    private readonly oidc: OidcClient,
    private readonly saml: SamlClient,
    private readonly urls: ServiceProviderUrls,
  ) {}

  /**
   * Starts SSO from the sign-in page with an email or the account's Auth ID; answers the identity
   * provider's URL. `browserSecret` binds the attempt to this browser (a cookie the route sets).
   */
  async start(input: { email?: string; authId?: string }, browserSecret: string, client: Client) {
    assertThat(input.email || input.authId, SsoErrors.emailOrAuthIdRequired);
    await this.deps.throttle.consume(startThrottle, client.ip);
    const email = input.email ? normaliseEmail(input.email) : undefined;
    const accountId = input.authId
      ? (await this.store.accountByAuthId(input.authId.trim().toUpperCase()))?.id
      : email
        ? await this.accountForEmail(email)
        : undefined;
    assertThat(accountId, SsoErrors.notFound(input.authId ? 'authId' : 'email'));
    const settings = await this.store.settings(accountId);
    assertThat(
      settings?.enabled_at,
      SsoErrors.notEnabled('Single sign-on is not enabled for this account. Sign in with your password.'),
    );
    const connection = await this.store.activeConnection(accountId);
    assertThat(connection, SsoErrors.notConfigured);
    await this.store.purgeAttempts(new Date(this.deps.clock.now().getTime() - 86_400_000));
    return { redirectUrl: await this.startAttempt(connection, 'sign_in', browserSecret, null, email) };
  }

  /** The admin's test sign-in through a provider under test (or the active one). */
  async startTest(
    actor: Actor & { userId: string },
    accountId: string,
    connectionId: string,
    browserSecret: string,
  ) {
    const connection = await this.store.connection(accountId, connectionId);
    assertThat(connection, SsoErrors.connectionNotFound);
    const user = await this.deps.store.userById(actor.userId);
    const url = await this.startAttempt(connection, 'test', browserSecret, actor.userId, user.email);
    await this.deps.audit.record(actor, {
      action: 'sso.connection_test_started',
      accountId,
      details: { connectionId },
    });
    return url;
  }

  /** The OpenID Connect redirect back: state must name an open attempt started in this browser. */
  async completeOidc(
    callbackUrl: URL,
    browserSecret: string | undefined,
    client: Client,
    previous: Session | null,
  ): Promise<CallbackOutcome> {
    const state = callbackUrl.searchParams.get('state');
    return this.complete(state, 'oidc', client, previous, async (attempt, connection) => {
      assertThat(
        browserSecret && this.deps.secrets.digest(browserSecret) === attempt.browser_digest,
        SsoErrors.browserMismatch,
      );
      return this.oidc.complete(this.oidcProvider(connection), callbackUrl, {
        state: state as string,
        nonce: attempt.oidc_nonce as string,
        codeVerifier: this.deps.secrets.decrypt(attempt.oidc_code_verifier_encrypted as string),
      });
    });
  }

  /**
   * The SAML POST binding: a cross-site form post from the IdP, so no browser cookie can be relied
   * on. RelayState finds the attempt; the signature, audience, issuer and InResponseTo of the request
   * this attempt sent authenticate the answer, and the attempt is used once (a replay is refused).
   */
  async completeSaml(
    samlResponse: string,
    relayState: string | undefined,
    client: Client,
    previous: Session | null,
  ): Promise<CallbackOutcome> {
    return this.complete(relayState ?? null, 'saml', client, previous, (attempt, connection) =>
      this.saml.complete(this.samlProvider(connection), samlResponse, {
        id: attempt.saml_request_id as string,
        sentAt: attempt.created_at,
      }),
    );
  }

  private async complete(
    handle: string | null,
    protocol: SsoProtocol,
    client: Client,
    previous: Session | null,
    verify: (attempt: AttemptRow, connection: ConnectionRow) => Promise<IdpIdentity>,
  ): Promise<CallbackOutcome> {
    const attempt = handle ? await this.store.attemptByHandle(this.deps.secrets.digest(handle)) : undefined;
    if (!attempt) return { purpose: null, error: attemptUnknown() };
    const connection = await this.store.connectionById(attempt.connection_id);
    try {
      assertThat(connection.protocol === protocol, attemptUnknown);
      assertThat(!attempt.used_at, SsoErrors.responseReplayed);
      assertThat(attempt.expires_at > this.deps.clock.now(), SsoErrors.attemptExpired);
      // Used before it is verified: whatever the outcome, an attempt's answer is accepted at most once.
      assertThat(
        await this.store.consumeAttempt(attempt.id, this.deps.clock.now()),
        SsoErrors.responseReplayed,
      );
      const identity = await verify(attempt, connection);
      if (attempt.purpose === 'test') {
        await this.finishTest(attempt, connection, identity, client);
        return { purpose: 'test' };
      }
      return {
        purpose: 'sign_in',
        ...(await this.finishSignIn(attempt, connection, identity, client, previous)),
      };
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      await this.deps.audit.record(
        { ...client, userId: attempt.requested_by },
        {
          action: attempt.purpose === 'test' ? 'sso.connection_test_failed' : 'sso.sign_in_refused',
          accountId: attempt.account_id,
          details: { connectionId: connection.id, protocol, reason: error.code },
        },
      );
      return { purpose: attempt.purpose, error };
    }
  }

  /** A test sign-in passes when the IdP names the admin who started it; the provider then becomes the active one. */
  private async finishTest(
    attempt: AttemptRow,
    connection: ConnectionRow,
    identity: IdpIdentity,
    client: Client,
  ) {
    const admin = await this.deps.store.userById(attempt.requested_by as string);
    assertThat(normaliseEmail(identity.email) === admin.email, () =>
      SsoErrors.testWrongPerson(identity.email, admin.email),
    );
    const membership = await this.teamStore.membership(connection.account_id, admin.id);
    assertThat(membership?.role === 'owner' || membership?.role === 'admin', SsoErrors.roleNotPermitted);
    const now = this.deps.clock.now();
    await inTransaction(this.deps.db, async () => {
      const actor = { ...client, userId: admin.id };
      if (connection.status === 'testing') {
        await this.store.retireConnections(connection.account_id, ['active'], now);
        assertThat(await this.store.activateConnection(connection.id, now), () =>
          SsoErrors.connectionReplaced('This configuration was replaced meanwhile; test the new one.'),
        );
        await this.deps.audit.record(actor, {
          action: 'sso.connection_activated',
          accountId: connection.account_id,
          details: { connectionId: connection.id, protocol: connection.protocol },
        });
      } else {
        assertThat(connection.status === 'active', () =>
          SsoErrors.connectionReplaced('This configuration was removed meanwhile.'),
        );
        await this.deps.audit.record(actor, {
          action: 'sso.connection_tested',
          accountId: connection.account_id,
          details: { connectionId: connection.id, protocol: connection.protocol },
        });
      }
    });
  }

  /**
   * The IdP's email must be a member of the account, or have a pending invitation (accepted now), or
   * (with just-in-time membership on) be at the account's verified domain. The new session owes the
   * second factor, or its enrolment for a person who has none yet.
   */
  private async finishSignIn(
    attempt: AttemptRow,
    connection: ConnectionRow,
    identity: IdpIdentity,
    client: Client,
    previous: Session | null,
  ) {
    const { store, sessions, audit, clock } = this.deps;
    const accountId = attempt.account_id;
    const [settings, account] = await Promise.all([
      this.store.settings(accountId),
      this.deps.accounts.view(accountId),
    ]);
    assertThat(settings?.enabled_at && connection.status === 'active', () =>
      SsoErrors.notEnabled(
        'Single sign-on is no longer available for this account. Sign in with your password.',
      ),
    );
    const email = normaliseEmail(identity.email);
    const existing = await store.userByEmail(email);
    const membership = existing ? await this.teamStore.membership(accountId, existing.id) : undefined;
    const invitation = membership ? undefined : await this.openInvitation(accountId, email);
    const jitRole =
      membership || invitation || !settings.jit_role
        ? undefined
        : emailDomain(email) === (await this.verifiedDomain(accountId))
          ? settings.jit_role
          : undefined;
    assertThat(membership || invitation || jitRole, () => SsoErrors.notAMember(email, account.name));
    await this.deps.throttle.check(throttles.signInPerAccount, email);
    // A person who first arrives through SSO gets a password nobody knows; Forgot Password sets one.
    const newPasswordHash = existing ? undefined : await hashPassword(randomToken());
    return inTransaction(this.deps.db, async () => {
      let userId = existing?.id;
      if (!userId) {
        userId = newId();
        await store.insertUser({
          id: userId,
          email,
          name: identity.name?.trim().slice(0, 100) || (email.split('@')[0] as string),
          password_hash: newPasswordHash as string,
        });
        await store.updateUser(userId, { email_verified_at: clock.now() });
      }
      const actor = { ...client, userId };
      let joined: string | undefined;
      if (invitation) {
        const accepted = await this.teamStore.updatePendingInvitation(invitation.id, {
          accepted_at: clock.now(),
        });
        assertThat(accepted, SsoErrors.invitationWithdrawn);
        await store.insertMembership(accountId, userId, invitation.role);
        await audit.record(actor, {
          action: 'team.invitation_accepted',
          accountId,
          details: { role: invitation.role, via: 'sso' },
        });
        joined = 'invitation';
      } else if (jitRole) {
        await store.insertMembership(accountId, userId, jitRole);
        await audit.record(actor, {
          action: 'team.member_joined',
          accountId,
          details: { role: jitRole, via: 'sso_jit' },
        });
        joined = 'just_in_time';
      }
      const user = await store.userById(userId);
      const stage = hasSecondFactor(user) ? ('second_factor' as const) : ('onboarding' as const);
      if (previous) await sessions.revoke(previous.id);
      const session = await sessions.create({ principal: 'user', userId, accountId }, stage, client);
      await audit.record(actor, {
        action: 'sso.signed_in',
        accountId,
        details: {
          protocol: connection.protocol,
          connectionId: connection.id,
          stage,
          ...(joined ? { joined } : {}),
        },
      });
      return { sessionToken: session.token, stage };
    });
  }

  private async startAttempt(
    connection: ConnectionRow,
    purpose: 'sign_in' | 'test',
    browserSecret: string,
    requestedBy: string | null,
    loginHint: string | undefined,
  ): Promise<string> {
    const handle = randomToken();
    const base = {
      id: newId(),
      account_id: connection.account_id,
      connection_id: connection.id,
      purpose,
      handle_digest: this.deps.secrets.digest(handle),
      browser_digest: this.deps.secrets.digest(browserSecret),
      requested_by: requestedBy,
      expires_at: new Date(this.deps.clock.now().getTime() + ATTEMPT_MINUTES * 60_000),
    };
    if (connection.protocol === 'oidc') {
      const nonce = randomToken();
      const codeVerifier = randomToken();
      const url = await this.oidc.authorizationUrl(this.oidcProvider(connection), {
        redirectUri: this.urls.oidcRedirectUri,
        state: handle,
        nonce,
        codeVerifier,
        ...(loginHint ? { loginHint } : {}),
      });
      await this.store.insertAttempt({
        ...base,
        oidc_nonce: nonce,
        oidc_code_verifier_encrypted: this.deps.secrets.encrypt(codeVerifier),
      });
      return url;
    }
    // An XML ID must not start with a digit.
    const requestId = `_${randomToken(20)}`;
    const url = await this.saml.authorizationUrl(this.samlProvider(connection), requestId, handle);
    await this.store.insertAttempt({ ...base, saml_request_id: requestId });
    return url;
  }

  /**
   * The account with SSO in use that an email leads to: one the person belongs to, else one that
   * invited them, else (for someone with no user here yet) one whose verified domain admits them
   * just in time. A person who already has a user joins another account by its Auth ID instead.
   */
  private async accountForEmail(email: string): Promise<string | undefined> {
    const user = await this.deps.store.userByEmail(email);
    if (user) {
      const memberships = await this.store.membershipsWithPolicy(user.id);
      const withSso = memberships.find((m) => m.enabledAt && m.connectionId);
      if (withSso) return withSso.accountId;
    }
    const invited = await this.store.invitingAccount(email);
    if (invited || user) return invited?.accountId;
    return (await this.store.jitAccount(emailDomain(email)))?.accountId;
  }

  private async openInvitation(accountId: string, email: string) {
    const invitation = await this.teamStore.pendingInvitationFor(accountId, email);
    if (!invitation) return undefined;
    const expiresAt = invitation.last_sent_at.getTime() + INVITATION_DAYS * 86_400_000;
    return expiresAt > this.deps.clock.now().getTime() ? invitation : undefined;
  }

  /** The domain of the Owner's verified work email: the one domain the account has proven it controls. */
  async verifiedDomain(accountId: string): Promise<string | null> {
    const owner = await this.deps.accounts.store.owner(accountId);
    const user = await this.deps.store.userById(owner.id);
    return user.email_verified_at ? emailDomain(user.email) : null;
  }

  private oidcProvider(connection: ConnectionRow): OidcProvider {
    return {
      issuer: connection.oidc_issuer as string,
      clientId: connection.oidc_client_id as string,
      clientSecret: this.deps.secrets.decrypt(connection.oidc_client_secret_encrypted as string),
    };
  }

  private samlProvider(connection: ConnectionRow): SamlProvider {
    return {
      entityId: connection.saml_entity_id as string,
      ssoUrl: connection.saml_sso_url as string,
      certificates: splitCertificates(connection.saml_certificates),
    };
  }
}
