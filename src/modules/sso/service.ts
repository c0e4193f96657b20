import { inTransaction } from '../../db/database.js';
import type { SsoProtocol } from '../../db/schema.js';
import { assertThat, ValidationFailed } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { namedFields } from '../../lib/named-fields.js';
import type { Actor } from '../audit/audit.js';
import type { Client, SsoDeps } from '../identity/deps.js';
import type { PasswordSignInPolicy } from '../identity/sign-in.js';
import type { AssignableRole } from '../team/roles.js';
import type { TeamStore } from '../team/store.js';
import { SsoErrors } from './errors.js';
import { type Fetch, OidcClient } from './oidc.js';
import { type ServiceProviderUrls, serviceProviderUrls } from './provider-urls.js';
import {
  checkProvider,
  describeCertificate,
  parseIdpMetadata,
  SamlClient,
  type SamlProvider,
  splitCertificates,
} from './saml.js';
import { SsoSignIn } from './sign-in.js';
import { type ConnectionRow, SsoStore } from './store.js';

export interface ConnectionInput {
  protocol: SsoProtocol;
  issuer?: string;
  clientId?: string;
  clientSecret?: string;
  metadataXml?: string;
  metadataUrl?: string;
  entityId?: string;
  ssoUrl?: string;
  certificate?: string;
}

/**
 * Account > Settings > Security > Configure SSO. Staff turn SSO on for an account ("Contact Plivo
 * Support to access SSO"); its Owners and Admins then configure one identity provider (OpenID
 * Connect or SAML 2.0), which becomes active only after a test sign-in through it succeeds.
 */
export class SsoService implements PasswordSignInPolicy {
  readonly store: SsoStore;
  readonly signIn: SsoSignIn;
  readonly urls: ServiceProviderUrls;
  private readonly oidc: OidcClient;
  readonly saml: SamlClient;

  constructor(
    private readonly deps: SsoDeps,
    teamStore: TeamStore,
    private readonly fetchImpl: Fetch,
  ) {
    this.store = new SsoStore(deps.db);
    this.urls = serviceProviderUrls(deps.config.publicUrl);
    this.oidc = new OidcClient(fetchImpl);
    this.saml = new SamlClient({ entityId: this.urls.samlEntityId, acsUrl: this.urls.samlAcsUrl });
    this.signIn = new SsoSignIn(deps, teamStore, this.store, this.oidc, this.saml, this.urls);
  }

  /** Staff: whether SSO is available to the account, and how it is used. */
  async staffView(accountId: string) {
    await this.deps.accounts.view(accountId);
    const [settings, active] = await Promise.all([
      this.store.settings(accountId),
      this.store.activeConnection(accountId),
    ]);
    return {
      enabled: Boolean(settings?.enabled_at),
      enabledAt: settings?.enabled_at ?? null,
      activeProtocol: active?.protocol ?? null,
      requireSso: Boolean(settings?.require_sso),
    };
  }

  /**
   * Staff turn SSO on or off for an account, saying why (the customer reads it in their audit log).
   * Turning it off stops SSO sign-in and "require SSO" with it.
   */
  async setEnabled(actor: Actor, accountId: string, enabled: boolean, reason: string) {
    assertThat(
      reason.trim() !== '',
      ValidationFailed('reason_required', 'Write why SSO is turned on or off: the customer reads it.', [
        { field: 'reason', message: 'A reason is required.' },
      ]),
    );
    await this.deps.accounts.view(accountId);
    const now = this.deps.clock.now();
    await inTransaction(this.deps.db, async () => {
      await this.store.upsertSettings(
        accountId,
        enabled
          ? { enabled_at: now, enabled_by_staff: actor.staffId ?? null }
          : { enabled_at: null, enabled_by_staff: actor.staffId ?? null, require_sso: false },
        now,
      );
      await this.deps.audit.record(actor, {
        action: enabled ? 'sso.enabled' : 'sso.disabled',
        accountId,
        details: { reason: reason.trim() },
      });
    });
    return this.staffView(accountId);
  }

  /** Configure SSO: the staff gate, the active identity provider, one under test, and the options. */
  async view(accountId: string) {
    const [settings, active, testing] = await Promise.all([
      this.store.settings(accountId),
      this.store.activeConnection(accountId),
      this.store.testingConnection(accountId),
    ]);
    return {
      enabled: Boolean(settings?.enabled_at),
      requireSso: Boolean(settings?.require_sso),
      jitRole: settings?.jit_role ?? null,
      verifiedDomain: await this.verifiedDomain(accountId),
      connection: active ? connectionView(active) : null,
      pendingConnection: testing ? connectionView(testing) : null,
      serviceProvider: this.urls,
    };
  }

  /**
   * Saves an identity provider as "under test" (replacing any earlier one under test) and starts
   * the admin's test sign-in through it; it becomes the account's active provider once that passes.
   */
  async configure(
    actor: Actor & { userId: string },
    accountId: string,
    input: ConnectionInput,
    browserSecret: string,
  ) {
    await this.assertEnabled(accountId);
    const id = newId();
    const now = this.deps.clock.now();
    const details = await this.connectionDetails(input);
    await inTransaction(this.deps.db, async () => {
      await this.store.retireConnections(accountId, ['testing'], now);
      await this.store.insertConnection({
        id,
        account_id: accountId,
        protocol: input.protocol,
        status: 'testing',
        created_by: actor.userId,
        ...details,
      });
      await this.deps.audit.record(actor, {
        action: 'sso.connection_created',
        accountId,
        details: {
          connectionId: id,
          protocol: input.protocol,
          idp: details.oidc_issuer ?? details.saml_entity_id,
        },
      });
    });
    const testUrl = await this.signIn.startTest(actor, accountId, id, browserSecret);
    return { connection: connectionView(await this.store.connectionById(id)), testUrl };
  }

  /** Runs the test sign-in again, for a provider under test or the active one. */
  async retest(
    actor: Actor & { userId: string },
    accountId: string,
    connectionId: string,
    browserSecret: string,
  ) {
    const connection = await this.store.connection(accountId, connectionId);
    assertThat(connection && connection.status !== 'retired', SsoErrors.connectionNotFound);
    await this.assertEnabled(accountId);
    return { testUrl: await this.signIn.startTest(actor, accountId, connectionId, browserSecret) };
  }

  /** Removes an identity provider. Removing the active one ends SSO sign-in and "require SSO" for the account. */
  async remove(actor: Actor, accountId: string, connectionId: string) {
    const connection = await this.store.connection(accountId, connectionId);
    assertThat(connection && connection.status !== 'retired', SsoErrors.connectionNotFound);
    const now = this.deps.clock.now();
    await inTransaction(this.deps.db, async () => {
      await this.store.retireConnection(connectionId, now);
      if (connection.status === 'active')
        await this.store.upsertSettings(accountId, { require_sso: false }, now);
      await this.deps.audit.record(actor, {
        action: 'sso.connection_removed',
        accountId,
        details: { connectionId, protocol: connection.protocol, wasActive: connection.status === 'active' },
      });
    });
  }

  /**
   * Require SSO (password sign-in stops for everyone but the Owner) and just-in-time membership
   * (people at the account's verified domain join with a default role on their first SSO sign-in).
   */
  async updateSettings(
    actor: Actor,
    accountId: string,
    changes: { requireSso?: boolean; jitRole?: AssignableRole | null },
  ) {
    await this.assertEnabled(accountId);
    if (changes.requireSso) {
      assertThat(await this.store.activeConnection(accountId), SsoErrors.requireNeedsProvider);
    }
    if (changes.jitRole) {
      assertThat(await this.verifiedDomain(accountId), SsoErrors.verifiedDomainRequired);
    }
    const update = {
      ...(changes.requireSso !== undefined ? { require_sso: changes.requireSso } : {}),
      ...(changes.jitRole !== undefined ? { jit_role: changes.jitRole } : {}),
    };
    await inTransaction(this.deps.db, async () => {
      await this.store.upsertSettings(accountId, update, this.deps.clock.now());
      await this.deps.audit.record(actor, {
        action: 'sso.settings_changed',
        accountId,
        details: namedFields(changes, ['requireSso', 'jitRole']),
      });
    });
    return this.view(accountId);
  }

  /**
   * Require SSO when switching accounts: a person signed in elsewhere may not switch into an account
   * that requires SSO unless they are its Owner; they sign in through its identity provider instead.
   */
  async assertMaySwitchInto(userId: string, accountId: string, client: Client): Promise<void> {
    const target = (await this.store.membershipsWithPolicy(userId)).find((m) => m.accountId === accountId);
    if (!target || target.role === 'owner' || !(target.requireSso && target.enabledAt && target.connectionId))
      return;
    await this.deps.audit.record({ ...client, userId }, { action: 'sso.account_switch_refused', accountId });
    throw SsoErrors.required(
      'This account requires single sign-on. Sign out, then choose "Sign in with SSO" to work in it.',
    );
  }

  /**
   * Require SSO in the password step: a person may sign in with a password into an account that does
   * not require SSO, or where they are the Owner (break-glass); when every account they belong to
   * requires SSO, the password step is refused and they are told to use SSO.
   */
  async accountForPasswordSignIn(userId: string, client: Client): Promise<string | undefined> {
    const memberships = await this.store.membershipsWithPolicy(userId);
    if (memberships.length === 0) return undefined;
    const allowed = memberships.find(
      (m) => m.role === 'owner' || !(m.requireSso && m.enabledAt && m.connectionId),
    );
    if (allowed) return allowed.accountId;
    await this.deps.audit.record(
      { ...client, userId },
      { action: 'sso.password_sign_in_refused', accountId: memberships[0]?.accountId ?? null },
    );
    throw SsoErrors.required(
      'Your account requires single sign-on. Choose "Sign in with SSO" and sign in through your identity provider.',
    );
  }

  async assertEnabled(accountId: string) {
    const settings = await this.store.settings(accountId);
    assertThat(
      settings?.enabled_at,
      SsoErrors.notEnabled(
        'Single sign-on is not enabled for this account. Contact support to have it turned on.',
      ),
    );
  }

  verifiedDomain(accountId: string) {
    return this.signIn.verifiedDomain(accountId);
  }

  private async connectionDetails(input: ConnectionInput) {
    if (input.protocol === 'oidc') {
      const missing = (['issuer', 'clientId', 'clientSecret'] as const).filter((name) => !input[name]);
      assertThat(missing.length === 0, SsoErrors.oidcConfigIncomplete(missing));
      const provider = {
        issuer: (input.issuer as string).trim().replace(/\/+$/, ''),
        clientId: (input.clientId as string).trim(),
        clientSecret: input.clientSecret as string,
      };
      await this.oidc.discover(provider);
      return {
        oidc_issuer: provider.issuer,
        oidc_client_id: provider.clientId,
        oidc_client_secret_encrypted: this.deps.secrets.encrypt(provider.clientSecret),
      };
    }
    const provider = await this.samlProvider(input);
    return {
      saml_entity_id: provider.entityId,
      saml_sso_url: provider.ssoUrl,
      saml_certificates: provider.certificates.join(''),
      saml_metadata_url: input.metadataUrl ?? null,
    };
  }

  private async samlProvider(input: ConnectionInput): Promise<SamlProvider> {
    if (input.metadataXml) return parseIdpMetadata(input.metadataXml);
    if (input.metadataUrl) return parseIdpMetadata(await this.fetchMetadata(input.metadataUrl));
    return checkProvider({
      entityId: input.entityId ?? '',
      ssoUrl: input.ssoUrl ?? '',
      certificates: input.certificate ? [input.certificate] : [],
    });
  }

  private async fetchMetadata(address: string): Promise<string> {
    const problem = (message: string) => SsoErrors.samlConfigInvalid(message, 'metadataUrl');
    let url: URL;
    try {
      url = new URL(address);
    } catch {
      throw problem('The metadata URL must be a URL such as https://idp.example.com/metadata.');
    }
    if (url.protocol !== 'https:') throw problem('The metadata URL must be an https:// address.');
    try {
      const response = await this.fetchImpl(url, { redirect: 'error', signal: AbortSignal.timeout(10_000) });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return await response.text();
    } catch (error) {
      throw problem(
        `Switchboard could not read the metadata at ${url.href} (${error instanceof Error ? error.message : String(error)}).`,
      );
    }
  }
}

/** An identity provider as the console shows it: never the client secret. */
function connectionView(row: ConnectionRow) {
  const base = {
    id: row.id,
    status: row.status,
    createdAt: row.created_at,
    activatedAt: row.activated_at,
  };
  if (row.protocol === 'oidc') {
    return {
      ...base,
      protocol: 'oidc' as const,
      oidc: { issuer: row.oidc_issuer, clientId: row.oidc_client_id, clientSecretSet: true },
    };
  }
  return {
    ...base,
    protocol: 'saml' as const,
    saml: {
      entityId: row.saml_entity_id,
      ssoUrl: row.saml_sso_url,
      metadataUrl: row.saml_metadata_url,
      certificates: splitCertificates(row.saml_certificates).map(describeCertificate),
    },
  };
}
