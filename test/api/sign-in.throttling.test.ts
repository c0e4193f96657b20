import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleClient, uniqueIp } from '../support/browser-client.js';
import { onboardedUser, passwordStep, strongPassword, uniqueEmail } from '../support/journeys.js';
import { codeIn, lastMessageTo, messagesTo } from '../support/outbox.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

const wrongPassword = 'Wrong-Harbor-Lantern-41';
const lockoutNotices = async (email: string) =>
  (await messagesTo(server, email)).filter((m) => m.subject === 'Sign-in paused after failed attempts');

/** Five wrong recovery codes: each is a failed second factor, and none touches a phone-code flow. */
async function failCodes(client: ConsoleClient, times: number) {
  for (let i = 0; i < times; i++) {
    const response = await client.post('/api/session/second-factor', {
      method: 'recovery_code',
      code: 'wrong-guess',
    });
    expect(response.status).toBe(400);
  }
}

describe('per account', () => {
  it('pauses sign-in after 5 wrong passwords: the right password then fails too, and the user is emailed', async () => {
    const { email } = await onboardedUser(server);
    const client = new ConsoleClient(server.url);
    for (let i = 0; i < 5; i++) {
      const response = await client.post('/api/session', { email, password: wrongPassword });
      expect(response.status).toBe(401);
    }
    const right = await client.post('/api/session', { email, password: strongPassword });
    expect(right.status).toBe(429);
    expect(right.body.code).toBe('too_many_attempts');
    expect(right.body.detail).toMatch(/paused for 15 minutes/);
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(client.cookies.has('sb_session')).toBe(false);
    const notices = await lockoutNotices(email);
    expect(notices).toHaveLength(1);
    expect(notices[0]?.text).toMatch(/several failed attempts/);
  });

  it('keeps the account paused from another network', async () => {
    const { email } = await onboardedUser(server);
    const attacker = new ConsoleClient(server.url);
    for (let i = 0; i < 5; i++) await attacker.post('/api/session', { email, password: wrongPassword });
    const owner = new ConsoleClient(server.url);
    expect((await owner.post('/api/session', { email, password: strongPassword })).status).toBe(429);
  });

  it('emails the user once per lockout, not at every refused attempt', async () => {
    const { email } = await onboardedUser(server);
    const client = new ConsoleClient(server.url);
    for (let i = 0; i < 8; i++) await client.post('/api/session', { email, password: wrongPassword });
    expect(await lockoutNotices(email)).toHaveLength(1);
  });

  it('does not pause sign-in after 4 wrong passwords', async () => {
    const { email } = await onboardedUser(server);
    const client = new ConsoleClient(server.url);
    for (let i = 0; i < 4; i++) await client.post('/api/session', { email, password: wrongPassword });
    expect((await client.post('/api/session', { email, password: strongPassword })).status).toBe(200);
    expect(await lockoutNotices(email)).toHaveLength(0);
  });

  it('counts wrong second-factor codes: after 5, the right code fails too', async () => {
    const { email, phone } = await onboardedUser(server);
    const client = await passwordStep(server, email);
    await failCodes(client, 5);
    await client.post('/api/session/phone-code', { channel: 'sms' });
    const code = codeIn((await lastMessageTo(server, phone)).text);
    const right = await client.post('/api/session/second-factor', { method: 'phone', code });
    expect(right.status).toBe(429);
    expect((await client.get('/api/me')).status).toBe(403);
    expect(await lockoutNotices(email)).toHaveLength(1);
  });

  it('counts wrong phone codes against the same budget', async () => {
    const { email, phone } = await onboardedUser(server);
    const client = await passwordStep(server, email);
    await client.post('/api/session/phone-code', { channel: 'sms' });
    const first = codeIn((await lastMessageTo(server, phone)).text);
    for (let i = 0; i < 4; i++) {
      const response = await client.post('/api/session/second-factor', {
        method: 'phone',
        code: first === '000000' ? '111111' : '000000',
      });
      expect(response.status).toBe(400);
    }
    server.clock.advanceMinutes(1);
    await client.post('/api/session/phone-code', { channel: 'sms' });
    const second = codeIn((await lastMessageTo(server, phone)).text);
    const fifth = await client.post('/api/session/second-factor', {
      method: 'phone',
      code: second === '000000' ? '111111' : '000000',
    });
    expect(fifth.status).toBe(400);
    server.clock.advanceMinutes(1);
    await client.post('/api/session/phone-code', { channel: 'sms' });
    const third = codeIn((await lastMessageTo(server, phone)).text);
    const right = await client.post('/api/session/second-factor', { method: 'phone', code: third });
    expect(right.status).toBe(429);
    expect(await lockoutNotices(email)).toHaveLength(1);
  });

  it('does not forget failed codes when the right password is entered again', async () => {
    const { email } = await onboardedUser(server);
    const first = await passwordStep(server, email);
    await failCodes(first, 4);
    const second = await passwordStep(server, email);
    await failCodes(second, 1);
    const third = new ConsoleClient(server.url);
    expect((await third.post('/api/session', { email, password: strongPassword })).status).toBe(429);
  });

  it('counts a wrong current password when re-authenticating', async () => {
    const { client, email } = await onboardedUser(server);
    for (let i = 0; i < 5; i++) {
      const response = await client.post('/api/session/reauthenticate', { password: wrongPassword });
      expect(response.status).toBe(400);
    }
    expect((await client.post('/api/session/reauthenticate', { password: strongPassword })).status).toBe(429);
    expect(
      (await new ConsoleClient(server.url).post('/api/session', { email, password: strongPassword })).status,
    ).toBe(429);
  });

  it('lets the user back in after resetting the password', async () => {
    const { email } = await onboardedUser(server);
    const client = new ConsoleClient(server.url);
    for (let i = 0; i < 5; i++) await client.post('/api/session', { email, password: wrongPassword });
    await client.post('/api/password-reset', { email });
    const token = /token=([\w-]+)/.exec((await lastMessageTo(server, email)).text)?.[1];
    const newPassword = 'Copper-Meadow-Signal-73';
    expect((await client.post('/api/password-reset/complete', { token, password: newPassword })).status).toBe(
      200,
    );
    expect((await client.post('/api/session', { email, password: newPassword })).status).toBe(200);
  });

  it('doubles the pause with each further lockout: 15 minutes, then 30', async () => {
    const { email } = await onboardedUser(server);
    const client = new ConsoleClient(server.url);
    for (let i = 0; i < 5; i++) await client.post('/api/session', { email, password: wrongPassword });
    const first = await client.post('/api/session', { email, password: wrongPassword });
    expect(Number(first.headers.get('retry-after'))).toBeLessThanOrEqual(900);
    await client.post('/api/password-reset', { email });
    const token = /token=([\w-]+)/.exec((await lastMessageTo(server, email)).text)?.[1];
    const newPassword = 'Copper-Meadow-Signal-73';
    expect((await client.post('/api/password-reset/complete', { token, password: newPassword })).status).toBe(
      200,
    );
    for (let i = 0; i < 5; i++) await client.post('/api/session', { email, password: wrongPassword });
    const second = await client.post('/api/session', { email, password: newPassword });
    expect(second.status).toBe(429);
    expect(Number(second.headers.get('retry-after'))).toBeGreaterThan(900);
    expect(second.body.detail).toMatch(/paused for 30 minutes/);
    expect((await lockoutNotices(email)).map((n) => /paused for (\d+) minutes/.exec(n.text)?.[1])).toEqual([
      '30',
      '15',
    ]);
  });

  it('pauses an unknown email too, so a pause does not reveal whether an account exists', async () => {
    const email = uniqueEmail('nobody');
    const client = new ConsoleClient(server.url);
    for (let i = 0; i < 5; i++) {
      expect((await client.post('/api/session', { email, password: wrongPassword })).status).toBe(401);
    }
    expect((await client.post('/api/session', { email, password: wrongPassword })).status).toBe(429);
  });
});

describe('per IP address', () => {
  it('refuses the 21st attempt from one address, even with the right password for another account', async () => {
    const { email } = await onboardedUser(server);
    const ip = uniqueIp();
    for (let i = 0; i < 20; i++) {
      const guess = new ConsoleClient(server.url, ip);
      const response = await guess.post('/api/session', {
        email: uniqueEmail('guess'),
        password: wrongPassword,
      });
      expect(response.status).toBe(401);
    }
    const sameNetwork = new ConsoleClient(server.url, ip);
    const refused = await sameNetwork.post('/api/session', { email, password: strongPassword });
    expect(refused.status).toBe(429);
    expect(refused.body.detail).toMatch(/from your network/);
    const otherNetwork = new ConsoleClient(server.url);
    expect((await otherNetwork.post('/api/session', { email, password: strongPassword })).status).toBe(200);
  });

  it('does not refuse the 20th attempt from one address', async () => {
    const { email } = await onboardedUser(server);
    const ip = uniqueIp();
    for (let i = 0; i < 19; i++) {
      await new ConsoleClient(server.url, ip).post('/api/session', {
        email: uniqueEmail('guess'),
        password: wrongPassword,
      });
    }
    const response = await new ConsoleClient(server.url, ip).post('/api/session', {
      email,
      password: strongPassword,
    });
    expect(response.status).toBe(200);
  });
});
