import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleClient } from '../support/browser-client.js';
import { later, onboardedUser, passwordStep, signInWithPhone, strongPassword } from '../support/journeys.js';
import { codeIn, lastMessageTo } from '../support/outbox.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

/** A browser holding only the given session cookie. */
function withCookie(token: string) {
  const client = new ConsoleClient(server.url);
  client.cookies.set('sb_session', token);
  return client;
}

const sessionCookieOf = (headers: Headers) =>
  headers.getSetCookie().find((cookie) => cookie.startsWith('sb_session='));

describe('session cookie', () => {
  it('is HttpOnly, SameSite=Lax, host-only and scoped to the whole site', async () => {
    const { email } = await onboardedUser(server);
    const response = await new ConsoleClient(server.url).post('/api/session', {
      email,
      password: strongPassword,
    });
    const cookie = sessionCookieOf(response.headers) ?? '';
    expect(cookie).toMatch(/; HttpOnly/i);
    expect(cookie).toMatch(/; SameSite=Lax/i);
    expect(cookie).toMatch(/; Path=\//i);
    expect(cookie).not.toMatch(/; Domain=/i);
    expect(cookie.split(';')[0]?.length).toBeGreaterThan('sb_session='.length + 40);
  });

  it('is Secure in production', async () => {
    const production = await startTestServer({
      SWITCHBOARD_ENV: 'production',
      PUBLIC_URL: 'https://console.acme-telecom.com',
      SMTP_URL: 'smtp://127.0.0.1:9',
    });
    try {
      const signUp = await new ConsoleClient(production.url).post('/api/signup', {
        name: 'Ada Lovelace',
        email: `ada.${Date.now()}@acme-telecom.com`,
        password: strongPassword,
      });
      expect(signUp.status).toBe(201);
      expect(sessionCookieOf(signUp.headers)).toMatch(/; Secure/i);
    } finally {
      await production.stop();
    }
  });

  it('is not set by a failed sign-in', async () => {
    const { email } = await onboardedUser(server);
    const response = await new ConsoleClient(server.url).post('/api/session', {
      email,
      password: 'Wrong-Harbor-Lantern-41',
    });
    expect(response.status).toBe(401);
    expect(sessionCookieOf(response.headers)).toBeUndefined();
  });
});

describe('session rotation', () => {
  it('issues a new session at the second factor; the pre-2FA cookie stops working', async () => {
    const { email, phone } = await onboardedUser(server);
    const client = await passwordStep(server, email);
    const preAuth = client.cookies.get('sb_session') as string;
    await client.post('/api/session/phone-code', { channel: 'sms' });
    const code = codeIn((await lastMessageTo(server, phone)).text);
    expect((await client.post('/api/session/second-factor', { method: 'phone', code })).status).toBe(200);
    const full = client.cookies.get('sb_session') as string;
    expect(full).not.toBe(preAuth);
    expect((await client.get('/api/me')).status).toBe(200);
    const old = await withCookie(preAuth).get('/api/session');
    expect(old.status).toBe(401);
    expect(old.body.code).toBe('sign_in_required');
  });

  it('issues a new session at sign-in; the cookie the browser had before stops working', async () => {
    const { client, email } = await onboardedUser(server);
    const before = client.cookies.get('sb_session') as string;
    const response = await client.post('/api/session', { email, password: strongPassword });
    expect(response.status).toBe(200);
    const after = client.cookies.get('sb_session') as string;
    expect(after).not.toBe(before);
    expect((await withCookie(before).get('/api/me')).status).toBe(401);
    expect((await withCookie(after).get('/api/session')).body.stage).toBe('second_factor');
  });

  it('issues a new session when phone verification completes onboarding', async () => {
    const client = new ConsoleClient(server.url);
    const email = `ada.${Date.now()}.${Math.random().toString(36).slice(2, 8)}@acme-telecom.com`;
    await client.post('/api/signup', { name: 'Ada Lovelace', email, password: strongPassword });
    await client.refreshSession();
    const onboarding = client.cookies.get('sb_session') as string;
    await client.post('/api/email-verification', {
      token: /token=([\w-]+)/.exec((await lastMessageTo(server, email)).text)?.[1],
    });
    const phone = `+1415555${String(1000 + Math.floor(Math.random() * 8999))}`;
    await client.post('/api/onboarding/phone', { phone, channel: 'sms' });
    const code = codeIn((await lastMessageTo(server, phone)).text);
    expect((await client.post('/api/onboarding/phone/verify', { code })).status).toBe(200);
    expect(client.cookies.get('sb_session')).not.toBe(onboarding);
    expect((await withCookie(onboarding).get('/api/session')).status).toBe(401);
  });
});

describe('timeouts', () => {
  it('keeps a session that is used within 30 minutes', async () => {
    const { client } = await onboardedUser(server);
    await later(server, 29, async () => {
      expect((await client.get('/api/me')).status).toBe(200);
    });
  });

  it('ends a session left idle for more than 30 minutes', async () => {
    const { client } = await onboardedUser(server);
    await later(server, 31, async () => {
      const response = await client.get('/api/me');
      expect(response.status).toBe(401);
      expect(response.body.code).toBe('sign_in_required');
    });
    expect((await client.get('/api/me')).status).toBe(401);
  });

  it('ends a session 12 hours after sign-in even when it is used all along', async () => {
    const { email, phone } = await onboardedUser(server);
    const client = await signInWithPhone(server, email, phone);
    let advanced = 0;
    const advance = (minutes: number) => {
      server.clock.advanceMinutes(minutes);
      advanced += minutes;
    };
    try {
      while (advanced + 20 < 12 * 60) {
        advance(20);
        expect((await client.get('/api/me')).status, `after ${advanced} minutes`).toBe(200);
      }
      advance(21);
      const response = await client.get('/api/me');
      expect(response.status).toBe(401);
      expect(response.body.code).toBe('sign_in_required');
    } finally {
      server.clock.advanceMinutes(-advanced);
    }
  });
});

describe('sign out', () => {
  it('ends the session at once: the cookie is cleared and no longer works', async () => {
    const { client } = await onboardedUser(server);
    const token = client.cookies.get('sb_session') as string;
    const response = await client.delete('/api/session');
    expect(response.status).toBe(204);
    expect(sessionCookieOf(response.headers)).toMatch(/sb_session=;/);
    expect(client.cookies.has('sb_session')).toBe(false);
    expect((await withCookie(token).get('/api/me')).status).toBe(401);
  });

  it('leaves the other sessions of the same person signed in', async () => {
    const { client, email, phone } = await onboardedUser(server);
    const other = await signInWithPhone(server, email, phone);
    await client.delete('/api/session');
    expect((await other.get('/api/me')).status).toBe(200);
  });
});
