import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleClient } from '../support/browser-client.js';
import { onboardedUser, strongPassword } from '../support/journeys.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

/** A request carrying the browser's cookies, with exactly the extra headers given (no CSRF token unless given). */
async function send(
  client: ConsoleClient,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: unknown,
) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      'x-forwarded-for': client.ip,
      cookie: [...client.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

const rename = { name: 'Mallory' };

async function nameOf(client: ConsoleClient) {
  return (await client.get('/api/me')).body.user.name as string;
}

describe('state-changing requests need the CSRF token', () => {
  it('refuses a change without the X-CSRF-Token header', async () => {
    const { client } = await onboardedUser(server);
    const response = await send(client, 'PATCH', '/api/profile', {}, rename);
    expect(response.status).toBe(403);
    expect(response.body.code).toBe('csrf_token_invalid');
    expect(await nameOf(client)).toBe('Ada Lovelace');
  });

  it("refuses a change carrying another session's token", async () => {
    const victim = await onboardedUser(server);
    const attacker = await onboardedUser(server);
    const response = await send(
      victim.client,
      'PATCH',
      '/api/profile',
      { 'x-csrf-token': attacker.client.csrfToken },
      rename,
    );
    expect(response.status).toBe(403);
    expect(response.body.code).toBe('csrf_token_invalid');
  });

  it('refuses sign-out without the token', async () => {
    const { client } = await onboardedUser(server);
    const response = await send(client, 'DELETE', '/api/session', {});
    expect(response.status).toBe(403);
    expect((await client.get('/api/me')).status).toBe(200);
  });

  it('accepts the change with the token of the session', async () => {
    const { client } = await onboardedUser(server);
    const response = await send(
      client,
      'PATCH',
      '/api/profile',
      { 'x-csrf-token': client.csrfToken },
      rename,
    );
    expect(response.status).toBe(204);
    expect(await nameOf(client)).toBe('Mallory');
  });

  it('does not ask for the token on reads', async () => {
    const { client } = await onboardedUser(server);
    expect((await send(client, 'GET', '/api/me', {})).status).toBe(200);
  });

  it('gives a new token with each new session', async () => {
    const { client, email } = await onboardedUser(server);
    const before = client.csrfToken;
    await client.post('/api/session', { email, password: strongPassword });
    await client.refreshSession();
    expect(client.csrfToken).not.toBe(before);
    expect(client.csrfToken.length).toBeGreaterThanOrEqual(20);
  });
});

describe('requests from another site are refused', () => {
  it('refuses a change whose Origin is another site, even with the right token', async () => {
    const { client } = await onboardedUser(server);
    const response = await send(
      client,
      'PATCH',
      '/api/profile',
      { 'x-csrf-token': client.csrfToken, origin: 'https://evil.example' },
      rename,
    );
    expect(response.status).toBe(403);
    expect(response.body.code).toBe('cross_site_request');
    expect(await nameOf(client)).toBe('Ada Lovelace');
  });

  it('refuses a sign-in posted from another site (login CSRF)', async () => {
    const { client, email } = await onboardedUser(server);
    const response = await send(
      client,
      'POST',
      '/api/session',
      { origin: 'https://evil.example' },
      { email, password: strongPassword },
    );
    expect(response.status).toBe(403);
    expect(response.body.code).toBe('cross_site_request');
  });

  it('refuses a change whose Origin is "null" (a sandboxed frame or a redirect)', async () => {
    const { client } = await onboardedUser(server);
    const response = await send(
      client,
      'PATCH',
      '/api/profile',
      { 'x-csrf-token': client.csrfToken, origin: 'null' },
      rename,
    );
    expect(response.status).toBe(403);
    expect(response.body.code).toBe('cross_site_request');
  });

  it('refuses an Origin on the same host but another port', async () => {
    const { client } = await onboardedUser(server);
    const port = Number(new URL(server.url).port);
    const response = await send(
      client,
      'PATCH',
      '/api/profile',
      { 'x-csrf-token': client.csrfToken, origin: `http://127.0.0.1:${port + 1}` },
      rename,
    );
    expect(response.status).toBe(403);
  });

  it('accepts a change whose Origin is the console itself', async () => {
    const { client } = await onboardedUser(server);
    const response = await send(
      client,
      'PATCH',
      '/api/profile',
      { 'x-csrf-token': client.csrfToken, origin: server.url },
      rename,
    );
    expect(response.status).toBe(204);
  });
});
