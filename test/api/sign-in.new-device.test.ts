import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { timeForPeople } from '../../src/notify/messages.js';
import { ConsoleClient } from '../support/browser-client.js';
import { onboardedUser, signInWithPhone, strongPassword } from '../support/journeys.js';
import { messagesTo } from '../support/outbox.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

const firefox = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:128.0) Gecko/20100101 Firefox/128.0';

const loginNotices = async (email: string) =>
  (await messagesTo(server, email)).filter((m) => m.subject === 'New sign-in to your account');

/** A browser that already holds the device cookie of an earlier sign-in. */
function sameBrowser(earlier: ConsoleClient) {
  const client = new ConsoleClient(server.url, earlier.ip, earlier.userAgent);
  client.cookies.set('sb_device', earlier.cookies.get('sb_device') as string);
  return client;
}

describe('login notification', () => {
  it('emails the time, IP address and browser of a sign-in from a new device', async () => {
    const { email, phone } = await onboardedUser(server);
    const before = server.clock.now();
    const client = await signInWithPhone(
      server,
      email,
      phone,
      undefined,
      new ConsoleClient(server.url, undefined, firefox),
    );
    const after = server.clock.now();
    const notices = await loginNotices(email);
    expect(notices).toHaveLength(1);
    const text = notices[0]?.text ?? '';
    expect(text).toContain(`IP address: ${client.ip}`);
    expect(text).toContain('Browser: Firefox 128 on macOS');
    expect([timeForPeople(before, 'UTC'), timeForPeople(after, 'UTC')]).toContain(
      /Time: (.+)\n/.exec(text)?.[1],
    );
  });

  it('does not email a sign-in from a known device (the same sb_device cookie)', async () => {
    const { email, phone } = await onboardedUser(server);
    const first = await signInWithPhone(server, email, phone);
    expect(first.cookies.get('sb_device')).toBeTruthy();
    server.clock.advanceMinutes(1);
    const second = await signInWithPhone(server, email, phone, undefined, sameBrowser(first));
    expect(second.cookies.get('sb_device')).toBe(first.cookies.get('sb_device'));
    expect(await loginNotices(email)).toHaveLength(1);
  });

  it('emails again when another device signs in', async () => {
    const { email, phone } = await onboardedUser(server);
    await signInWithPhone(server, email, phone);
    server.clock.advanceMinutes(1);
    await signInWithPhone(server, email, phone);
    expect(await loginNotices(email)).toHaveLength(2);
  });

  it("treats another user's device cookie as a new device", async () => {
    const alice = await onboardedUser(server);
    const bob = await onboardedUser(server);
    const alicesBrowser = await signInWithPhone(server, alice.email, alice.phone);
    await signInWithPhone(server, bob.email, bob.phone, undefined, sameBrowser(alicesBrowser));
    expect(await loginNotices(bob.email)).toHaveLength(1);
  });

  it('keeps the device cookie away from scripts', async () => {
    const { email, phone } = await onboardedUser(server);
    const client = new ConsoleClient(server.url);
    await client.post('/api/session', { email, password: strongPassword });
    await client.refreshSession();
    await client.post('/api/session/phone-code', { channel: 'sms' });
    const code = /\d{6}/.exec((await messagesTo(server, phone))[0]?.text ?? '')?.[0];
    const response = await client.post('/api/session/second-factor', { method: 'phone', code });
    const device = response.headers.getSetCookie().find((cookie) => cookie.startsWith('sb_device='));
    expect(device).toMatch(/; HttpOnly/i);
    expect(device).toMatch(/; SameSite=Lax/i);
  });
});

describe('recent sign-ins', () => {
  it('lists each sign-in with its IP address and browser', async () => {
    const { email, phone } = await onboardedUser(server);
    const client = await signInWithPhone(
      server,
      email,
      phone,
      undefined,
      new ConsoleClient(server.url, undefined, firefox),
    );
    const response = await client.get('/api/security/sign-ins');
    expect(response.status).toBe(200);
    expect(response.body.signIns[0]).toMatchObject({
      ip: client.ip,
      userAgent: firefox,
      details: { method: 'phone', browser: 'Firefox 128 on macOS', newDevice: true },
    });
  });
});
