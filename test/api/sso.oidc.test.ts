import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SsoErrors } from '../../src/modules/sso/errors.js';
import { ConsoleClient } from '../support/browser-client.js';
import { startOidcProvider } from '../support/identity-providers.js';
import { auditActionsOf, onboardedUser, strongPassword, uniqueEmail } from '../support/journeys.js';
import { lastMessageTo, linkIn } from '../support/outbox.js';
import type { TestServer } from '../support/server.js';
import {
  accountIdOf,
  configureAndTest,
  finishWithPhoneCode,
  signInWithSso,
  staffClient,
  staffEnableSso,
  startSsoTestServer,
} from '../support/sso.js';
import { SsoBrowser } from '../support/sso-browser.js';
import { invitedMember } from '../support/team.js';

let server: TestServer;
let idpFetch: typeof fetch;
let idp: Awaited<ReturnType<typeof startOidcProvider>>;
let staff: ConsoleClient;
const clientId = 'switchboard-console';
const clientSecret = 'test-client-secret-7f3a9c1e5b';

beforeAll(async () => {
  const started = await startSsoTestServer();
  server = started.server;
  idpFetch = started.idpFetch;
  idp = await startOidcProvider(started.ca, {
    clientId,
    clientSecret,
    redirectUri: `${server.url}/api/sso/oidc/callback`,
  });
  staff = await staffClient(server);
});
afterAll(async () => {
  await idp?.stop();
  await server?.stop();
});

const oidcConnection = () => ({ protocol: 'oidc', issuer: idp.issuer, clientId, clientSecret });

/** An onboarded owner whose account has SSO enabled by staff and the test OIDC provider active. */
async function accountWithOidc() {
  const owner = await onboardedUser(server);
  await staffEnableSso(staff, await accountIdOf(owner.client));
  await configureAndTest(owner, idpFetch, oidcConnection());
  return owner;
}

describe('single sign-on with OpenID Connect (Account > Settings > Security > Configure SSO)', () => {
  it('lets a member sign in through the IdP once staff enabled SSO and an admin configured and tested it, then asks for the second factor', async () => {
    const owner = await onboardedUser(server);
    const accountId = await accountIdOf(owner.client);
    const refused = await owner.client.post('/api/sso/connections', oidcConnection());
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe(SsoErrors.notEnabled('').code);

    await staffEnableSso(staff, accountId);
    const view = await configureAndTest(owner, idpFetch, oidcConnection());
    expect(view.connection.oidc).toEqual({ issuer: idp.issuer, clientId, clientSecretSet: true });
    expect(view.serviceProvider.oidcRedirectUri).toBe(`${server.url}/api/sso/oidc/callback`);
    const stored = await server.system.database.db
      .selectFrom('sso_connections')
      .select('oidc_client_secret_encrypted')
      .where('account_id', '=', accountId)
      .where('status', '=', 'active')
      .executeTakeFirstOrThrow();
    expect(stored.oidc_client_secret_encrypted).not.toContain(clientSecret);
    expect(server.system.secrets.decrypt(stored.oidc_client_secret_encrypted as string)).toBe(clientSecret);

    const member = await invitedMember(server, owner.client, 'developer');
    const { client, landed } = await signInWithSso(server, idpFetch, member.email);
    expect(landed.pathname + landed.search).toBe('/signin?sso=second_factor');
    const session = await client.refreshSession();
    expect(session.body.stage).toBe('second_factor');
    expect(session.body.account.id).toBe(accountId);
    expect((await client.get('/api/credentials')).status).toBe(403);
    await finishWithPhoneCode(server, client, member.phone);
    expect((await client.get('/api/credentials')).status).toBe(200);
    expect(await auditActionsOf(server, member.userId)).toEqual(
      expect.arrayContaining(['sso.signed_in', 'user.signed_in']),
    );
    const ownerId = (await owner.client.get('/api/me')).body.user.id;
    expect(await auditActionsOf(server, ownerId)).toEqual(
      expect.arrayContaining([
        'sso.connection_created',
        'sso.connection_test_started',
        'sso.connection_activated',
      ]),
    );
  });

  it('accepts a pending invitation when the invited person first signs in through the IdP, and sends them to set up 2FA', async () => {
    const owner = await accountWithOidc();
    const email = uniqueEmail('invitee');
    expect((await owner.client.post('/api/team/invitations', { email, role: 'support' })).status).toBe(201);
    const { client, landed } = await signInWithSso(server, idpFetch, email);
    expect(landed.pathname).toBe('/onboarding');
    const session = await client.refreshSession();
    expect(session.body.stage).toBe('onboarding');
    expect(session.body.user.email).toBe(email);
    const team = await owner.client.get('/api/team');
    expect(team.body.members.map((m: { email: string; role: string }) => [m.email, m.role])).toContainEqual([
      email,
      'support',
    ]);
    expect(team.body.invitations).toEqual([]);
  });

  it('refuses an IdP user who is not a member, with a clear message, and admits them with just-in-time membership at the verified domain', async () => {
    const owner = await accountWithOidc();
    const stranger = uniqueEmail('stranger');
    const authId = (await owner.client.get('/api/session')).body.account.authId;
    const client = new ConsoleClient(server.url);
    const started = await client.post('/api/sso/start', { authId });
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    const landed = (await new SsoBrowser(client, idpFetch).navigate(started.body.redirectUrl, stranger)).url;
    expect(landed.pathname).toBe('/signin');
    expect(landed.searchParams.get('sso_error')).toBe(SsoErrors.notAMember('', '').code);
    expect(landed.searchParams.get('message')).toMatch(
      new RegExp(
        `^${stranger.replace(/[.]/g, '\\.')} is not a member of .+\\. Ask an Owner or Admin of the account to invite you\\.$`,
      ),
    );
    expect(client.cookies.has('sb_session')).toBe(false);

    const settings = await owner.client.put('/api/sso/settings', { jitRole: 'developer' });
    expect(settings.status, JSON.stringify(settings.body)).toBe(200);
    expect(settings.body.verifiedDomain).toBe('acme-telecom.com');
    const again = await signInWithSso(server, idpFetch, stranger, { authId });
    expect(again.landed.pathname).toBe('/onboarding');
    const team = await owner.client.get('/api/team');
    expect(team.body.members).toContainEqual(expect.objectContaining({ email: stranger, role: 'developer' }));
  });

  it('refuses a callback whose state was changed, and one arriving in another browser', async () => {
    const owner = await accountWithOidc();
    const member = await invitedMember(server, owner.client, 'admin');
    const client = new ConsoleClient(server.url);
    const started = await client.post('/api/sso/start', { email: member.email });
    const browser = new SsoBrowser(client, idpFetch);
    const callback = await browser.navigate(
      started.body.redirectUrl,
      member.email,
      (step) => step.url.pathname === '/api/sso/oidc/callback',
    );
    const forged = new URL(callback.url);
    forged.searchParams.set('state', 'forged-state-value-of-an-attacker');
    const wrongState = await browser.take({ method: 'GET', url: forged });
    expect(wrongState.searchParams.get('sso_error')).toBe(SsoErrors.stateInvalid().code);
    const code = callback.url.searchParams.get('code') as string;
    expect(code.length).toBeGreaterThan(10);
    const logs = server.logLines.join('\n');
    expect(logs).toContain('/api/sso/oidc/callback?code=[redacted]');
    expect(logs).not.toContain(code);
    expect(logs).not.toContain(clientSecret);
    expect(client.cookies.has('sb_session')).toBe(false);

    const otherBrowser = new SsoBrowser(new ConsoleClient(server.url), idpFetch);
    const elsewhere = await otherBrowser.take(callback);
    expect(elsewhere.searchParams.get('sso_error')).toBe(SsoErrors.browserMismatch().code);
    expect(otherBrowser.client.cookies.has('sb_session')).toBe(false);
  });

  it('answers 403 when staff have not enabled SSO, and stops SSO sign-in when they turn it off', async () => {
    const owner = await onboardedUser(server);
    const authId = (await owner.client.get('/api/session')).body.account.authId;
    const notEnabled = await new ConsoleClient(server.url).post('/api/sso/start', { authId });
    expect(notEnabled.status).toBe(403);
    expect(notEnabled.body.code).toBe(SsoErrors.notEnabled('').code);
    expect((await owner.client.put('/api/sso/settings', { requireSso: true })).status).toBe(403);

    const accountId = await accountIdOf(owner.client);
    await staffEnableSso(staff, accountId);
    await configureAndTest(owner, idpFetch, oidcConnection());
    await staffEnableSso(staff, accountId, false);
    const off = await new ConsoleClient(server.url).post('/api/sso/start', { authId });
    expect(off.status).toBe(403);
    expect(off.body.code).toBe(SsoErrors.notEnabled('').code);
    const byEmail = await new ConsoleClient(server.url).post('/api/sso/start', { email: owner.email });
    const unknown = await new ConsoleClient(server.url).post('/api/sso/start', {
      email: `nobody.${Date.now()}@globex-industries.com`,
    });
    expect([byEmail.status, byEmail.body.detail]).toEqual([404, unknown.body.detail]);
    expect(byEmail.body.code).toBe(SsoErrors.notFound('email').code);
  });

  it('keeps a test sign-in as someone other than the admin from activating the provider', async () => {
    const owner = await onboardedUser(server);
    await staffEnableSso(staff, await accountIdOf(owner.client));
    const saved = await owner.client.post('/api/sso/connections', oidcConnection());
    expect(saved.status).toBe(201);
    const landed = (
      await new SsoBrowser(owner.client, idpFetch).navigate(saved.body.testUrl, uniqueEmail('other'))
    ).url;
    expect(landed.pathname).toBe('/account/settings/security');
    expect(landed.searchParams.get('sso_test')).toBe('failed');
    expect(landed.searchParams.get('sso_error')).toBe(SsoErrors.testWrongPerson('', '').code);
    const view = await owner.client.get('/api/sso');
    expect(view.body.connection).toBeNull();
    expect(view.body.pendingConnection.status).toBe('testing');
  });

  it('refuses an issuer without a discovery document, and a Developer configuring SSO', async () => {
    const owner = await onboardedUser(server);
    await staffEnableSso(staff, await accountIdOf(owner.client));
    const wrong = await owner.client.post('/api/sso/connections', {
      ...oidcConnection(),
      issuer: `${idp.issuer}/no-such-issuer`,
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.code).toBe(SsoErrors.oidcIssuerInvalid('').code);
    const developer = await invitedMember(server, owner.client, 'developer');
    const refused = await developer.client.get('/api/sso');
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('role_not_permitted');
  });
});

describe('require SSO', () => {
  it('refuses a member’s password sign-in and tells them to use SSO, but lets the Owner in (break-glass)', async () => {
    const owner = await accountWithOidc();
    const member = await invitedMember(server, owner.client, 'admin');
    const required = await owner.client.put('/api/sso/settings', { requireSso: true });
    expect(required.status, JSON.stringify(required.body)).toBe(200);
    expect(required.body.requireSso).toBe(true);

    const refused = await new ConsoleClient(server.url).post('/api/session', {
      email: member.email,
      password: strongPassword,
    });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe(SsoErrors.required('').code);
    expect(refused.body.detail).toMatch(/requires single sign-on.*Sign in with SSO/);
    expect(await auditActionsOf(server, member.userId)).toContain('sso.password_sign_in_refused');

    const ownerSignIn = await new ConsoleClient(server.url).post('/api/session', {
      email: owner.email,
      password: strongPassword,
    });
    expect(ownerSignIn.status, JSON.stringify(ownerSignIn.body)).toBe(200);
    expect(ownerSignIn.body.stage).toBe('second_factor');

    const { landed } = await signInWithSso(server, idpFetch, member.email);
    expect(landed.pathname + landed.search).toBe('/signin?sso=second_factor');
  });

  it('ends when the active provider is removed: members may use their password again', async () => {
    const owner = await accountWithOidc();
    const member = await invitedMember(server, owner.client, 'developer');
    expect((await owner.client.put('/api/sso/settings', { requireSso: true })).status).toBe(200);
    const view = await owner.client.get('/api/sso');
    const retest = await owner.client.post(`/api/sso/connections/${view.body.connection.id}/test`);
    expect(retest.status, JSON.stringify(retest.body)).toBe(200);
    const landed = await new SsoBrowser(owner.client, idpFetch).navigate(retest.body.testUrl, owner.email);
    expect(landed.url.searchParams.get('sso_test')).toBe('passed');

    expect((await owner.client.delete(`/api/sso/connections/${view.body.connection.id}`)).status).toBe(204);
    const after = await owner.client.get('/api/sso');
    expect(after.body).toMatchObject({ connection: null, requireSso: false });
    const password = await new ConsoleClient(server.url).post('/api/session', {
      email: member.email,
      password: strongPassword,
    });
    expect(password.status, JSON.stringify(password.body)).toBe(200);
    const ownerId = (await owner.client.get('/api/me')).body.user.id;
    expect(await auditActionsOf(server, ownerId)).toEqual(
      expect.arrayContaining(['sso.settings_changed', 'sso.connection_tested', 'sso.connection_removed']),
    );
  });

  it('lets a person sign in with a password while another account of theirs does not require SSO, starting there', async () => {
    const strict = await accountWithOidc();
    const other = await onboardedUser(server);
    const member = await invitedMember(server, strict.client, 'developer');
    const inviteToOther = await other.client.post('/api/team/invitations', {
      email: member.email,
      role: 'support',
    });
    expect(inviteToOther.status).toBe(201);
    const token = linkIn((await lastMessageTo(server, member.email)).text);
    expect((await member.client.post('/api/invitations/accept', { token })).status).toBe(200);
    expect((await strict.client.put('/api/sso/settings', { requireSso: true })).status).toBe(200);

    const client = new ConsoleClient(server.url);
    const signIn = await client.post('/api/session', { email: member.email, password: strongPassword });
    expect(signIn.status, JSON.stringify(signIn.body)).toBe(200);
    const session = await client.refreshSession();
    expect(session.body.account.id).toBe(await accountIdOf(other.client));
  });
});
