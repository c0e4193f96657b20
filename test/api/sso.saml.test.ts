import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SsoErrors } from '../../src/modules/sso/errors.js';
import { ConsoleClient } from '../support/browser-client.js';
import { startSamlIdp } from '../support/identity-providers.js';
import { auditActionsOf, onboardedUser, uniqueEmail } from '../support/journeys.js';
import type { TestServer } from '../support/server.js';
import {
  accountIdOf,
  finishWithPhoneCode,
  staffClient,
  staffEnableSso,
  startSsoTestServer,
} from '../support/sso.js';
import { SsoBrowser, type Step } from '../support/sso-browser.js';
import { invitedMember } from '../support/team.js';

let server: TestServer;
let idpFetch: typeof fetch;
let idp: Awaited<ReturnType<typeof startSamlIdp>>;
let staff: ConsoleClient;

beforeAll(async () => {
  const started = await startSsoTestServer();
  server = started.server;
  idpFetch = started.idpFetch;
  idp = await startSamlIdp(started.ca);
  staff = await staffClient(server);
});
afterAll(async () => {
  await idp?.stop();
  await server?.stop();
});

/** The IdP answers as `email`; the browser stops at the form the IdP's page posts to Switchboard. */
async function samlResponseFor(client: ConsoleClient, email: string, start: string) {
  idp.signInAs(email);
  const browser = new SsoBrowser(client, idpFetch);
  const post = await browser.navigate(start, email, (step) => step.url.pathname === '/api/sso/saml/acs');
  expect(post.method).toBe('POST');
  return { browser, post };
}

/** An onboarded owner whose account has SSO enabled and the test SAML IdP active (configured from its metadata). */
async function accountWithSaml() {
  const owner = await onboardedUser(server);
  await staffEnableSso(staff, await accountIdOf(owner.client));
  const saved = await owner.client.post('/api/sso/connections', {
    protocol: 'saml',
    metadataXml: idp.metadataXml,
  });
  expect(saved.status, JSON.stringify(saved.body)).toBe(201);
  const { browser, post } = await samlResponseFor(owner.client, owner.email, saved.body.testUrl);
  const landed = await browser.take(post, new URL(idp.ssoUrl));
  expect(landed.pathname + landed.search).toBe('/account/settings/security?sso_test=passed');
  return owner;
}

async function startFor(email: string) {
  const client = new ConsoleClient(server.url);
  const started = await client.post('/api/sso/start', { email });
  expect(started.status, JSON.stringify(started.body)).toBe(200);
  return { client, start: started.body.redirectUrl as string };
}

/** The SAMLResponse with the signed assertion's subject replaced, signature left as it was. */
function tampered(step: Step, from: string, to: string): Step {
  const xml = Buffer.from(step.form?.SAMLResponse ?? '', 'base64').toString();
  expect(xml).toContain(from);
  return {
    ...step,
    form: { ...step.form, SAMLResponse: Buffer.from(xml.split(from).join(to)).toString('base64') },
  };
}

describe('single sign-on with SAML 2.0', () => {
  it('activates an IdP configured from its metadata after a test sign-in, then signs a member in at the second-factor step', async () => {
    const owner = await accountWithSaml();
    const view = await owner.client.get('/api/sso');
    expect(view.body.connection).toMatchObject({
      protocol: 'saml',
      status: 'active',
      saml: { entityId: idp.entityId, ssoUrl: idp.ssoUrl },
    });
    expect(view.body.connection.saml.certificates[0].fingerprintSha256).toMatch(
      /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/,
    );
    expect(view.body.serviceProvider.samlAcsUrl).toBe(`${server.url}/api/sso/saml/acs`);

    const member = await invitedMember(server, owner.client, 'developer');
    const { client, start } = await startFor(member.email);
    const { browser, post } = await samlResponseFor(client, member.email, start);
    const landed = await browser.take(post, new URL(idp.ssoUrl));
    expect(landed.pathname + landed.search).toBe('/signin?sso=second_factor');
    await finishWithPhoneCode(server, client, member.phone);
    expect((await client.get('/api/me')).body.user.email).toBe(member.email);
    expect(await auditActionsOf(server, member.userId)).toContain('sso.signed_in');
  });

  it('configures the IdP from its metadata URL, or from entity ID, SSO URL and certificate', async () => {
    const owner = await onboardedUser(server);
    await staffEnableSso(staff, await accountIdOf(owner.client));
    const byUrl = await owner.client.post('/api/sso/connections', {
      protocol: 'saml',
      metadataUrl: idp.metadataUrl,
    });
    expect(byUrl.status, JSON.stringify(byUrl.body)).toBe(201);
    expect(byUrl.body.connection.saml).toMatchObject({
      entityId: idp.entityId,
      metadataUrl: idp.metadataUrl,
    });
    const byFields = await owner.client.post('/api/sso/connections', {
      protocol: 'saml',
      entityId: idp.entityId,
      ssoUrl: idp.ssoUrl,
      certificate: idp.signingCert,
    });
    expect(byFields.status, JSON.stringify(byFields.body)).toBe(201);
    const { browser, post } = await samlResponseFor(owner.client, owner.email, byFields.body.testUrl);
    expect((await browser.take(post, new URL(idp.ssoUrl))).searchParams.get('sso_test')).toBe('passed');
    const badCertificate = await owner.client.post('/api/sso/connections', {
      protocol: 'saml',
      entityId: idp.entityId,
      ssoUrl: idp.ssoUrl,
      certificate: 'not a certificate',
    });
    expect(badCertificate.status).toBe(400);
    expect(badCertificate.body.errors).toEqual([
      { field: 'certificate', message: expect.stringMatching(/X\.509/) },
    ]);
  });

  it('refuses a response whose signed assertion was altered', async () => {
    const owner = await accountWithSaml();
    const member = await invitedMember(server, owner.client, 'support');
    const { client, start } = await startFor(member.email);
    const { browser, post } = await samlResponseFor(client, member.email, start);
    const landed = await browser.take(tampered(post, member.email, owner.email), new URL(idp.ssoUrl));
    expect(landed.pathname).toBe('/signin');
    expect(landed.searchParams.get('sso_error')).toBe(SsoErrors.responseInvalid('').code);
    expect(landed.searchParams.get('message')).toMatch(/Invalid signature/);
    expect(client.cookies.has('sb_session')).toBe(false);
    const accountEvents = await server.system.database.db
      .selectFrom('audit_events')
      .select(['action', 'details'])
      .where('account_id', '=', await accountIdOf(owner.client))
      .where('action', '=', 'sso.sign_in_refused')
      .execute();
    expect(accountEvents.map((e) => e.details.reason)).toEqual([SsoErrors.responseInvalid('').code]);
  });

  it('refuses a replayed response, even one that signed someone in', async () => {
    const owner = await accountWithSaml();
    const member = await invitedMember(server, owner.client, 'admin');
    const { client, start } = await startFor(member.email);
    const { browser, post } = await samlResponseFor(client, member.email, start);
    expect((await browser.take(post, new URL(idp.ssoUrl))).search).toBe('?sso=second_factor');

    const attacker = new SsoBrowser(new ConsoleClient(server.url), idpFetch);
    const replayed = await attacker.take(post, new URL(idp.ssoUrl));
    expect(replayed.searchParams.get('sso_error')).toBe(SsoErrors.responseReplayed().code);
    expect(attacker.client.cookies.has('sb_session')).toBe(false);
  });

  it('refuses a response to a request it did not send (unsolicited or with another RelayState)', async () => {
    const owner = await accountWithSaml();
    const { client, start } = await startFor(owner.email);
    const { browser, post } = await samlResponseFor(client, owner.email, start);
    const forged = await browser.take(
      { ...post, form: { ...post.form, RelayState: 'relay-state-this-server-never-issued' } },
      new URL(idp.ssoUrl),
    );
    expect(forged.searchParams.get('sso_error')).toBe(SsoErrors.stateInvalid().code);
    const { RelayState: _, ...unsolicited } = post.form ?? {};
    const withoutRelayState = await browser.take({ ...post, form: unsolicited }, new URL(idp.ssoUrl));
    expect(withoutRelayState.searchParams.get('sso_error')).toBe(SsoErrors.stateInvalid().code);
    expect(client.cookies.has('sb_session')).toBe(false);
  });

  it('refuses a member of another account and someone unknown, with a clear message', async () => {
    const owner = await accountWithSaml();
    const authId = (await owner.client.get('/api/session')).body.account.authId;
    const outsider = await onboardedUser(server);
    for (const email of [outsider.email, uniqueEmail('unknown')]) {
      const client = new ConsoleClient(server.url);
      const started = await client.post('/api/sso/start', { authId });
      const { browser, post } = await samlResponseFor(client, email, started.body.redirectUrl);
      const landed = await browser.take(post, new URL(idp.ssoUrl));
      expect(landed.searchParams.get('sso_error')).toBe(SsoErrors.notAMember('', '').code);
      expect(landed.searchParams.get('message')).toContain(`${email} is not a member of`);
    }
  });

  it('serves its service-provider metadata naming the assertion consumer service', async () => {
    const response = await fetch(`${server.url}/api/sso/saml/metadata`);
    expect(response.status).toBe(200);
    const xml = await response.text();
    expect(xml).toContain(`entityID="${server.url}/api/sso/saml/metadata"`);
    expect(xml).toContain(`Location="${server.url}/api/sso/saml/acs"`);
  });
});
