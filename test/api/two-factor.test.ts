import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IdentityErrors } from '../../src/modules/identity/errors.js';
import { totpCodeAt } from '../../src/modules/identity/totp.js';
import { ConsoleClient } from '../support/browser-client.js';
import {
  addAuthenticator,
  later,
  onboardedUser,
  passwordStep,
  signInWithApp,
  signInWithPhone,
  strongPassword,
  uniquePhone,
} from '../support/journeys.js';
import { codeIn, lastMessageTo, messagesTo } from '../support/outbox.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

/** A different 6-digit code than the right one. */
const wrongCode = (code: string) => (code === '000000' ? '111111' : '000000');

describe('two-factor authentication is mandatory', () => {
  it('asks for a second factor after the password and opens nothing before it', async () => {
    const { email } = await onboardedUser(server);
    const client = new ConsoleClient(server.url);
    const first = await client.post('/api/session', { email, password: strongPassword });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ stage: 'second_factor', methods: ['phone', 'recovery_code'] });
    await client.refreshSession();
    for (const path of ['/api/me', '/api/security']) {
      const response = await client.get(path);
      expect(response.status, path).toBe(403);
      expect(response.body.code).toBe('second_factor_required');
    }
  });

  it('offers every method the user has set up, and the user picks one', async () => {
    const { client, email, phone } = await onboardedUser(server);
    const secret = await addAuthenticator(server, client, phone);
    const first = await new ConsoleClient(server.url).post('/api/session', {
      email,
      password: strongPassword,
    });
    expect(first.body.methods).toEqual(['totp', 'phone', 'recovery_code']);
    server.clock.advanceMinutes(1);
    expect((await (await signInWithApp(server, email, secret)).get('/api/me')).status).toBe(200);
    expect((await (await signInWithPhone(server, email, phone)).get('/api/me')).status).toBe(200);
  });
});

describe('phone codes', () => {
  it('signs in with a code sent by SMS', async () => {
    const { email, phone } = await onboardedUser(server);
    const client = await signInWithPhone(server, email, phone);
    expect((await lastMessageTo(server, phone)).channel).toBe('sms');
    expect((await client.get('/api/me')).status).toBe(200);
  });

  it('signs in with a code read out by a voice call', async () => {
    const { email, phone } = await onboardedUser(server);
    const client = await passwordStep(server, email);
    expect((await client.post('/api/session/phone-code', { channel: 'voice' })).status).toBe(202);
    const call = await lastMessageTo(server, phone);
    expect(call.channel).toBe('voice');
    const response = await client.post('/api/session/second-factor', {
      method: 'phone',
      code: codeIn(call.text),
    });
    expect(response.status).toBe(200);
  });

  it('refuses a wrong phone code', async () => {
    const { email, phone } = await onboardedUser(server);
    const client = await passwordStep(server, email);
    await client.post('/api/session/phone-code', { channel: 'sms' });
    const code = codeIn((await lastMessageTo(server, phone)).text);
    const response = await client.post('/api/session/second-factor', {
      method: 'phone',
      code: wrongCode(code),
    });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe(IdentityErrors.codeIncorrect('').code);
    expect((await client.get('/api/me')).status).toBe(403);
  });

  it('refuses a phone code that was already used to sign in', async () => {
    const { email, phone } = await onboardedUser(server);
    await signInWithPhone(server, email, phone);
    const used = codeIn((await lastMessageTo(server, phone)).text);
    const client = await passwordStep(server, email);
    const response = await client.post('/api/session/second-factor', { method: 'phone', code: used });
    expect(response.status).toBe(404);
    expect(response.body.code).toBe(IdentityErrors.noOpenStep().code);
  });

  it('makes only the latest phone code work, and refuses a new code within 30 seconds', async () => {
    const { email, phone } = await onboardedUser(server);
    const client = await passwordStep(server, email);
    await client.post('/api/session/phone-code', { channel: 'sms' });
    const first = codeIn((await lastMessageTo(server, phone)).text);
    const tooSoon = await client.post('/api/session/phone-code', { channel: 'sms' });
    expect(tooSoon.status).toBe(429);
    expect(Number(tooSoon.headers.get('retry-after'))).toBeGreaterThan(0);
    server.clock.advanceMinutes(1);
    expect((await client.post('/api/session/phone-code', { channel: 'voice' })).status).toBe(202);
    const second = codeIn((await lastMessageTo(server, phone)).text);
    if (first !== second) {
      const old = await client.post('/api/session/second-factor', { method: 'phone', code: first });
      expect(old.status).toBe(400);
    }
    expect((await client.post('/api/session/second-factor', { method: 'phone', code: second })).status).toBe(
      200,
    );
  });

  it('refuses a phone code after 10 minutes', async () => {
    const { email, phone } = await onboardedUser(server);
    const client = await passwordStep(server, email);
    await client.post('/api/session/phone-code', { channel: 'sms' });
    const code = codeIn((await lastMessageTo(server, phone)).text);
    server.clock.advanceMinutes(11);
    const response = await client.post('/api/session/second-factor', { method: 'phone', code });
    expect(response.status).toBe(410);
    expect(response.body.code).toBe(IdentityErrors.codeExpired().code);
  });
});

describe('authenticator app', () => {
  it('is added by a code sent to the phone, then the QR code, then a code from the app', async () => {
    const { client, email, phone } = await onboardedUser(server);
    expect((await client.post('/api/security/authenticator', { channel: 'sms' })).status).toBe(202);
    const phoneCode = codeIn((await lastMessageTo(server, phone)).text);
    const scan = await client.post('/api/security/authenticator/verify-phone', { code: phoneCode });
    expect(scan.status).toBe(200);
    expect(scan.body.qrCode).toMatch(/^data:image\/png;base64,/);
    expect(scan.body.otpauthUri).toMatch(/^otpauth:\/\/totp\//);
    expect(scan.body.otpauthUri).toContain(`secret=${scan.body.secret}`);
    const confirmed = await client.post('/api/security/authenticator/confirm', {
      code: totpCodeAt(scan.body.secret, server.clock.now()),
    });
    expect(confirmed.status).toBe(204);
    const overview = await client.get('/api/security');
    expect(overview.body.authenticatorApp.enabled).toBe(true);
    expect((await lastMessageTo(server, email)).text).toMatch(/authenticator app was added/);
  });

  it('refuses a wrong phone code before showing the QR code', async () => {
    const { client, phone } = await onboardedUser(server);
    await client.post('/api/security/authenticator', { channel: 'sms' });
    const code = codeIn((await lastMessageTo(server, phone)).text);
    const response = await client.post('/api/security/authenticator/verify-phone', { code: wrongCode(code) });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe(IdentityErrors.codeIncorrect('').code);
    expect(response.body.secret).toBeUndefined();
  });

  it('refuses to confirm the app before the phone code', async () => {
    const { client } = await onboardedUser(server);
    await client.post('/api/security/authenticator', { channel: 'sms' });
    const response = await client.post('/api/security/authenticator/confirm', { code: '123456' });
    expect(response.status).toBe(409);
    expect(response.body.code).toBe(IdentityErrors.phoneCodeNeeded().code);
  });

  it('refuses a wrong code from the app and leaves the app off', async () => {
    const { client, phone } = await onboardedUser(server);
    await client.post('/api/security/authenticator', { channel: 'sms' });
    const phoneCode = codeIn((await lastMessageTo(server, phone)).text);
    const scan = await client.post('/api/security/authenticator/verify-phone', { code: phoneCode });
    const right = totpCodeAt(scan.body.secret, server.clock.now());
    const response = await client.post('/api/security/authenticator/confirm', { code: wrongCode(right) });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe(IdentityErrors.codeIncorrect('').code);
    expect((await client.get('/api/security')).body.authenticatorApp.enabled).toBe(false);
  });

  it('refuses adding a second app while one is set up', async () => {
    const { client, phone } = await onboardedUser(server);
    await addAuthenticator(server, client, phone);
    const response = await client.post('/api/security/authenticator', { channel: 'sms' });
    expect(response.status).toBe(409);
    expect(response.body.code).toBe(IdentityErrors.totpAlreadyEnabled().code);
  });

  it('refuses a wrong app code at sign-in', async () => {
    const { client, email, phone } = await onboardedUser(server);
    const secret = await addAuthenticator(server, client, phone);
    server.clock.advanceMinutes(1);
    const signIn = await passwordStep(server, email);
    const right = totpCodeAt(secret, server.clock.now());
    const response = await signIn.post('/api/session/second-factor', {
      method: 'totp',
      code: wrongCode(right),
    });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe(IdentityErrors.codeIncorrect('').code);
  });

  it('refuses an app code when no app is set up', async () => {
    const { email } = await onboardedUser(server);
    const client = await passwordStep(server, email);
    const response = await client.post('/api/session/second-factor', { method: 'totp', code: '123456' });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe(IdentityErrors.totpNotSetUp().code);
  });
});

describe('recovery codes', () => {
  it('gives 10 different codes, shown once: the security page shows only how many are left', async () => {
    const { client } = await onboardedUser(server);
    const response = await client.post('/api/security/recovery-codes');
    expect(response.status).toBe(201);
    const codes = response.body.codes as string[];
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    const overview = await client.get('/api/security');
    expect(overview.body.recoveryCodes).toEqual({ remaining: 10 });
    const page = JSON.stringify(overview.body);
    for (const code of codes) expect(page).not.toContain(code);
  });

  it('lets each code sign in once', async () => {
    const { client, email } = await onboardedUser(server);
    const [code] = (await client.post('/api/security/recovery-codes')).body.codes as string[];
    const first = await passwordStep(server, email);
    expect((await first.post('/api/session/second-factor', { method: 'recovery_code', code })).status).toBe(
      200,
    );
    await first.refreshSession();
    expect((await first.get('/api/security')).body.recoveryCodes.remaining).toBe(9);
    const second = await passwordStep(server, email);
    const again = await second.post('/api/session/second-factor', { method: 'recovery_code', code });
    expect(again.status).toBe(400);
    expect(again.body.code).toBe(IdentityErrors.codeIncorrect('').code);
  });

  it('accepts a recovery code typed in capitals with spaces around it', async () => {
    const { client, email } = await onboardedUser(server);
    const [code = ''] = (await client.post('/api/security/recovery-codes')).body.codes as string[];
    const signIn = await passwordStep(server, email);
    const response = await signIn.post('/api/session/second-factor', {
      method: 'recovery_code',
      code: ` ${code.toUpperCase()} `,
    });
    expect(response.status).toBe(200);
  });

  it('invalidates the old set when new codes are generated', async () => {
    const { client, email } = await onboardedUser(server);
    const oldCodes = (await client.post('/api/security/recovery-codes')).body.codes as string[];
    const newCodes = (await client.post('/api/security/recovery-codes')).body.codes as string[];
    expect(newCodes.some((code) => oldCodes.includes(code))).toBe(false);
    const signIn = await passwordStep(server, email);
    const old = await signIn.post('/api/session/second-factor', {
      method: 'recovery_code',
      code: oldCodes[0],
    });
    expect(old.status).toBe(400);
    const fresh = await signIn.post('/api/session/second-factor', {
      method: 'recovery_code',
      code: newCodes[0],
    });
    expect(fresh.status).toBe(200);
    const notices = (await messagesTo(server, email)).map((m) => m.text);
    expect(notices.filter((text) => /New recovery codes were generated/.test(text))).toHaveLength(2);
  });

  it('needs a recent re-authentication to generate codes', async () => {
    const { client } = await onboardedUser(server);
    await later(server, 11, async () => {
      const refused = await client.post('/api/security/recovery-codes');
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe(IdentityErrors.reauthenticationRequired().code);
      const wrong = await client.post('/api/session/reauthenticate', { password: 'Not-The-Password-99' });
      expect(wrong.status).toBe(400);
      expect(wrong.body.code).toBe(IdentityErrors.passwordIncorrect('password').code);
      expect((await client.post('/api/security/recovery-codes')).status).toBe(403);
      const reauth = await client.post('/api/session/reauthenticate', { password: strongPassword });
      expect(reauth.status).toBe(204);
      expect((await client.post('/api/security/recovery-codes')).status).toBe(201);
    });
  });
});

describe('adding and removing methods', () => {
  it('removes the authenticator app while phone codes stay on, and tells the user', async () => {
    const { client, email, phone } = await onboardedUser(server);
    await addAuthenticator(server, client, phone);
    expect((await client.delete('/api/security/authenticator')).status).toBe(204);
    expect((await client.get('/api/security')).body.authenticatorApp.enabled).toBe(false);
    expect((await lastMessageTo(server, email)).text).toMatch(/authenticator app was removed/);
    const signIn = await new ConsoleClient(server.url).post('/api/session', {
      email,
      password: strongPassword,
    });
    expect(signIn.body.methods).toEqual(['phone', 'recovery_code']);
  });

  it('refuses to remove the authenticator app when it is the only factor left', async () => {
    const { client, phone } = await onboardedUser(server);
    await addAuthenticator(server, client, phone);
    expect((await client.put('/api/security/phone-factor', { enabled: false })).status).toBe(204);
    const response = await client.delete('/api/security/authenticator');
    expect(response.status).toBe(409);
    expect(response.body.code).toBe(IdentityErrors.lastFactor('').code);
    expect((await client.get('/api/security')).body.authenticatorApp.enabled).toBe(true);
  });

  it('refuses to turn phone codes off when they are the only factor', async () => {
    const { client } = await onboardedUser(server);
    const response = await client.put('/api/security/phone-factor', { enabled: false });
    expect(response.status).toBe(409);
    expect(response.body.code).toBe(IdentityErrors.lastFactor('').code);
    expect((await client.get('/api/security')).body.phone.enabled).toBe(true);
  });

  it('turns phone codes off once an app is set up, so sign-in no longer offers them', async () => {
    const { client, email, phone } = await onboardedUser(server);
    await addAuthenticator(server, client, phone);
    expect((await client.put('/api/security/phone-factor', { enabled: false })).status).toBe(204);
    const signIn = await passwordStep(server, email);
    const refused = await signIn.post('/api/session/phone-code', { channel: 'sms' });
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe(IdentityErrors.phoneFactorUnavailable().code);
    expect((await client.put('/api/security/phone-factor', { enabled: true })).status).toBe(204);
    expect((await signIn.post('/api/session/phone-code', { channel: 'sms' })).status).toBe(202);
  });

  it('needs a recent re-authentication to remove a method', async () => {
    const { client, phone } = await onboardedUser(server);
    await addAuthenticator(server, client, phone);
    await later(server, 11, async () => {
      const removal = await client.delete('/api/security/authenticator');
      expect(removal.status).toBe(403);
      expect(removal.body.code).toBe(IdentityErrors.reauthenticationRequired().code);
      const phoneOff = await client.put('/api/security/phone-factor', { enabled: false });
      expect(phoneOff.status).toBe(403);
      expect(phoneOff.body.code).toBe(IdentityErrors.reauthenticationRequired().code);
    });
    expect((await client.get('/api/security')).body.authenticatorApp.enabled).toBe(true);
  });
});

describe('changing the 2FA phone', () => {
  async function authenticatedWithPhone(client: ConsoleClient, phone: string) {
    expect((await client.post('/api/security/phone-code', { channel: 'sms' })).status).toBe(202);
    const code = codeIn((await lastMessageTo(server, phone)).text);
    const step = await client.post('/api/security/phone-change', { method: 'phone', code });
    expect(step.status, JSON.stringify(step.body)).toBe(200);
  }

  it('authenticates with the current phone, then verifies the new number, which then gets the codes', async () => {
    const { client, email, phone } = await onboardedUser(server);
    await authenticatedWithPhone(client, phone);
    const newPhone = uniquePhone();
    expect(
      (await client.post('/api/security/phone-change/number', { phone: newPhone, channel: 'sms' })).status,
    ).toBe(202);
    const code = codeIn((await lastMessageTo(server, newPhone)).text);
    const done = await client.post('/api/security/phone-change/verify', { code });
    expect(done.status).toBe(200);
    expect(done.body.phone).toMatch(new RegExp(`${newPhone.slice(-4)}$`));
    expect((await lastMessageTo(server, email)).text).toMatch(/two-factor phone number was changed/);
    server.clock.advanceMinutes(1);
    const before = (await messagesTo(server, phone)).length;
    await signInWithPhone(server, email, newPhone);
    expect((await messagesTo(server, phone)).length).toBe(before);
  });

  it('authenticates with the authenticator app as the current method', async () => {
    const { client, phone } = await onboardedUser(server);
    const secret = await addAuthenticator(server, client, phone);
    server.clock.advanceMinutes(1);
    const step = await client.post('/api/security/phone-change', {
      method: 'totp',
      code: totpCodeAt(secret, server.clock.now()),
    });
    expect(step.status).toBe(200);
  });

  it('refuses a new number before a current method is confirmed', async () => {
    const { client } = await onboardedUser(server);
    const response = await client.post('/api/security/phone-change/number', {
      phone: uniquePhone(),
      channel: 'sms',
    });
    expect(response.status).toBe(404);
    expect(response.body.code).toBe(IdentityErrors.noOpenStep().code);
  });

  it('refuses a wrong code from the current phone', async () => {
    const { client, phone } = await onboardedUser(server);
    await client.post('/api/security/phone-code', { channel: 'sms' });
    const code = codeIn((await lastMessageTo(server, phone)).text);
    const response = await client.post('/api/security/phone-change', {
      method: 'phone',
      code: wrongCode(code),
    });
    expect(response.status).toBe(400);
    const next = await client.post('/api/security/phone-change/number', {
      phone: uniquePhone(),
      channel: 'sms',
    });
    expect(next.status).toBe(404);
  });

  it('refuses a wrong code from the new number and keeps the old one', async () => {
    const { client, phone } = await onboardedUser(server);
    await authenticatedWithPhone(client, phone);
    const newPhone = uniquePhone();
    await client.post('/api/security/phone-change/number', { phone: newPhone, channel: 'sms' });
    const code = codeIn((await lastMessageTo(server, newPhone)).text);
    const response = await client.post('/api/security/phone-change/verify', { code: wrongCode(code) });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe(IdentityErrors.codeIncorrect('').code);
    expect((await client.get('/api/security')).body.phone.number).toMatch(new RegExp(`${phone.slice(-4)}$`));
  });

  it('refuses an invalid new number', async () => {
    const { client, phone } = await onboardedUser(server);
    await authenticatedWithPhone(client, phone);
    const response = await client.post('/api/security/phone-change/number', {
      phone: '+1 555',
      channel: 'sms',
    });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe(IdentityErrors.invalidPhone().code);
  });
});
