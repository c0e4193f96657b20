import { expect } from 'vitest';
import { ConsoleClient } from './browser-client.js';
import { fetchTrusting, freePort, makeTestCa } from './identity-providers.js';
import { setUpStaff, signInStaff } from './journeys.js';
import { codeIn, lastMessageTo } from './outbox.js';
import { startTestServer, type TestServer } from './server.js';
import { SsoBrowser } from './sso-browser.js';

/**
 * A Switchboard whose PUBLIC_URL is known before it starts (identity providers register its
 * callback URLs), reaching identity providers through a fetch that trusts this run's test CA.
 */
export async function startSsoTestServer() {
  const ca = makeTestCa();
  const idpFetch = fetchTrusting(ca.caCert);
  const port = await freePort();
  const server = await startTestServer(
    { PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` },
    { fetch: idpFetch },
  );
  return { server, ca, idpFetch };
}

export async function accountIdOf(client: ConsoleClient): Promise<string> {
  const session = await client.get('/api/session');
  expect(session.status, JSON.stringify(session.body)).toBe(200);
  return session.body.account.id as string;
}

/** A staff member of the operator, signed in to the staff console. */
export async function staffClient(server: TestServer) {
  return signInStaff(server, await setUpStaff(server));
}

/** Staff turn SSO on (or off) for the account ("Contact Plivo Support to access SSO"). */
export async function staffEnableSso(staff: ConsoleClient, accountId: string, enabled = true) {
  const answer = await staff.put(`/api/staff/accounts/${accountId}/sso`, {
    enabled,
    reason: enabled ? 'Enterprise plan' : 'Plan ended',
  });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  expect(answer.body.enabled).toBe(enabled);
}

/** An admin saves an identity provider and passes its test sign-in; it is then the active one. */
export async function configureAndTest(
  admin: { client: ConsoleClient; email: string },
  idpFetch: typeof fetch,
  connection: Record<string, unknown>,
) {
  const saved = await admin.client.post('/api/sso/connections', connection);
  expect(saved.status, JSON.stringify(saved.body)).toBe(201);
  expect(saved.body.connection.status).toBe('testing');
  const landed = await new SsoBrowser(admin.client, idpFetch).navigate(saved.body.testUrl, admin.email);
  expect(landed.url.pathname + landed.url.search).toBe('/account/settings/security?sso_test=passed');
  const view = await admin.client.get('/api/sso');
  expect(view.body.connection?.status).toBe('active');
  expect(view.body.pendingConnection).toBeNull();
  return view.body;
}

/** Signs in through the account's IdP from the sign-in page; answers where the browser lands. */
export async function signInWithSso(
  server: TestServer,
  idpFetch: typeof fetch,
  email: string,
  start: { email?: string; authId?: string } = { email },
) {
  const client = new ConsoleClient(server.url);
  const started = await client.post('/api/sso/start', start);
  expect(started.status, JSON.stringify(started.body)).toBe(200);
  const landed = await new SsoBrowser(client, idpFetch).navigate(started.body.redirectUrl, email);
  return { client, landed: landed.url };
}

/** The second factor after an SSO sign-in: a phone code from the outbox, as after a password. */
export async function finishWithPhoneCode(server: TestServer, client: ConsoleClient, phone: string) {
  const session = await client.refreshSession();
  expect(session.body.stage).toBe('second_factor');
  expect((await client.post('/api/session/phone-code', { channel: 'sms' })).status).toBe(202);
  const code = codeIn((await lastMessageTo(server, phone)).text);
  const second = await client.post('/api/session/second-factor', { method: 'phone', code });
  expect(second.status, JSON.stringify(second.body)).toBe(200);
  await client.refreshSession();
}
