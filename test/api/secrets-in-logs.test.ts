import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCodeAt } from '../../src/modules/identity/totp.js';
import { ConsoleClient } from '../support/browser-client.js';
import {
  addAuthenticator,
  advanceToMiddleOfStep,
  setUpStaff,
  signInStaff,
  signInWithPhone,
  strongPassword,
  uniqueEmail,
  uniquePhone,
} from '../support/journeys.js';
import { codeIn, lastMessageTo, linkIn } from '../support/outbox.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

/** Every secret the run below handles, by what it is. */
const issued: { what: string; value: string }[] = [];
const keep = (what: string, value: string) => {
  expect(value.length).toBeGreaterThanOrEqual(6);
  issued.push({ what, value });
  return value;
};

/** Opens an emailed link in the browser, as a person clicking it does: GET of the page with the token in the query. */
async function openLink(text: string) {
  const url = /https?:\/\/\S+token=[\w-]+/.exec(text)?.[0] as string;
  const pathAndQuery = new URL(url).pathname + new URL(url).search;
  await fetch(`${server.url}${pathAndQuery}`, { headers: { accept: 'text/html' } });
  return linkIn(text);
}

describe('no password, link token, code, TOTP secret or recovery code appears in any log line', () => {
  it('logs none of the secrets of sign-up, verification, 2FA, sign-in, reset, email change and staff setup', async () => {
    // Sign-up and email verification.
    const client = new ConsoleClient(server.url);
    const email = uniqueEmail();
    keep('sign-up password', strongPassword);
    await client.post('/api/signup', { name: 'Ada Lovelace', email, password: strongPassword });
    await client.refreshSession();
    keep('session cookie', client.cookies.get('sb_session') as string);
    const verifyToken = keep(
      'email verification link',
      await openLink((await lastMessageTo(server, email)).text),
    );
    expect((await client.post('/api/email-verification', { token: verifyToken })).status).toBe(200);

    // Phone verification.
    const phone = uniquePhone();
    await client.post('/api/onboarding/phone', { phone, channel: 'sms' });
    const phoneCode = keep('phone verification code', codeIn((await lastMessageTo(server, phone)).text));
    expect((await client.post('/api/onboarding/phone/verify', { code: phoneCode })).status).toBe(200);
    await client.refreshSession();
    keep('CSRF token', client.csrfToken);

    // Authenticator app and recovery codes.
    const secret = keep('TOTP secret', await addAuthenticator(server, client, phone));
    keep('TOTP enrolment code', totpCodeAt(secret, server.clock.now()));
    const recovery = (await client.post('/api/security/recovery-codes')).body.codes as string[];
    for (const code of recovery) keep('recovery code', code);

    // Sign-in with each method, including a wrong password and a used recovery code.
    await new ConsoleClient(server.url).post('/api/session', {
      email,
      password: keep('wrong password', 'Mistyped-Password-31'),
    });
    const phoneSignIn = await signInWithPhone(server, email, phone);
    keep('sign-in phone code', codeIn((await lastMessageTo(server, phone)).text));
    keep('device cookie', phoneSignIn.cookies.get('sb_device') as string);
    advanceToMiddleOfStep(server, 1);
    const appSignIn = new ConsoleClient(server.url);
    await appSignIn.post('/api/session', { email, password: strongPassword });
    await appSignIn.refreshSession();
    const appCode = keep('TOTP sign-in code', totpCodeAt(secret, server.clock.now()));
    expect(
      (await appSignIn.post('/api/session/second-factor', { method: 'totp', code: appCode })).status,
    ).toBe(200);
    const recoverySignIn = new ConsoleClient(server.url);
    await recoverySignIn.post('/api/session', { email, password: strongPassword });
    await recoverySignIn.refreshSession();
    await recoverySignIn.post('/api/session/second-factor', { method: 'recovery_code', code: recovery[0] });

    // Email change.
    const newEmail = uniqueEmail('grace');
    await phoneSignIn.post('/api/profile/email', { email: newEmail });
    const changeToken = keep(
      'email change link',
      await openLink((await lastMessageTo(server, newEmail)).text),
    );
    expect((await phoneSignIn.post('/api/email-change/confirm', { token: changeToken })).status).toBe(200);

    // Password change and reset.
    const changed = keep('changed password', 'Copper-Meadow-Signal-73');
    await phoneSignIn.post('/api/profile/password', {
      currentPassword: strongPassword,
      newPassword: changed,
    });
    await new ConsoleClient(server.url).post('/api/password-reset', { email: newEmail });
    const resetToken = keep(
      'password reset link',
      await openLink((await lastMessageTo(server, newEmail)).text),
    );
    await new ConsoleClient(server.url).get(`/api/password-reset/${resetToken}`);
    await new ConsoleClient(server.url).post('/api/password-reset/complete', {
      token: resetToken,
      password: keep('refused reset password', 'lowercase-only-42'),
    });
    const resetPassword = keep('reset password', 'Another-Quiet-River-58');
    const reset = await new ConsoleClient(server.url).post('/api/password-reset/complete', {
      token: resetToken,
      password: resetPassword,
    });
    expect(reset.status).toBe(200);

    // Staff setup and sign-in.
    const staff = await setUpStaff(server);
    keep('staff TOTP secret', staff.secret);
    keep('staff setup link', staff.token);
    const staffClient = await signInStaff(server, staff);
    keep('staff session cookie', staffClient.cookies.get('sb_staff_session') as string);
    keep('staff TOTP code', totpCodeAt(staff.secret, server.clock.now()));

    const log = server.logLines.join('\n');
    expect(server.logLines.length).toBeGreaterThan(20);
    expect(log).toContain('/api/password-reset/');
    expect(log).toContain('/reset-password?token=');
    const leaked = issued.filter(({ value }) => log.includes(value));
    expect(leaked.map(({ what }) => what)).toEqual([]);
  });
});
