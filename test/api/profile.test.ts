import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IdentityErrors } from '../../src/modules/identity/errors.js';
import { PasswordPolicyErrors } from '../../src/modules/identity/password-policy.js';
import { ConsoleClient } from '../support/browser-client.js';
import { later, onboardedUser, signInWithPhone, strongPassword, uniqueEmail } from '../support/journeys.js';
import { codeIn, lastMessageTo, linkIn, messagesTo } from '../support/outbox.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

const newPassword = 'Copper-Meadow-Signal-73';

const emailOf = async (client: ConsoleClient) => (await client.get('/api/me')).body.user.email as string;

describe('change email', () => {
  it('changes the email only once the link sent to the new address is followed, and tells the old address', async () => {
    const { client, email } = await onboardedUser(server);
    const newEmail = uniqueEmail('grace');
    const request = await client.post('/api/profile/email', { email: newEmail });
    expect(request.status).toBe(202);
    expect(request.body).toEqual({ pendingEmail: newEmail });
    expect(await emailOf(client)).toBe(email);
    const link = await lastMessageTo(server, newEmail);
    expect(link.subject).toBe('Confirm your new email address');
    expect(await messagesTo(server, email)).not.toContainEqual(
      expect.objectContaining({ subject: 'Your sign-in email was changed' }),
    );

    const confirmed = await new ConsoleClient(server.url).post('/api/email-change/confirm', {
      token: linkIn(link.text),
    });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toEqual({ email: newEmail });
    expect(await emailOf(client)).toBe(newEmail);
    const notice = await lastMessageTo(server, email);
    expect(notice.subject).toBe('Your sign-in email was changed');
    expect(notice.text).toContain(newEmail);
    expect(
      (
        await new ConsoleClient(server.url).post('/api/session', {
          email: newEmail,
          password: strongPassword,
        })
      ).status,
    ).toBe(200);
    expect(
      (await new ConsoleClient(server.url).post('/api/session', { email, password: strongPassword })).status,
    ).toBe(401);
  });

  it('refuses a personal email address such as gmail.com', async () => {
    const { client, email } = await onboardedUser(server);
    const response = await client.post('/api/profile/email', { email: 'ada.lovelace@gmail.com' });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe(IdentityErrors.workEmailRequired('').code);
    expect(response.body.errors).toContainEqual(expect.objectContaining({ field: 'email' }));
    expect(await messagesTo(server, 'ada.lovelace@gmail.com')).toHaveLength(0);
    expect(await emailOf(client)).toBe(email);
  });

  it('refuses an address another user has', async () => {
    const { client } = await onboardedUser(server);
    const other = await onboardedUser(server);
    const response = await client.post('/api/profile/email', { email: other.email });
    expect(response.status).toBe(409);
    expect(response.body.code).toBe(IdentityErrors.emailTaken('user').code);
  });

  it('refuses the address already in use by the user', async () => {
    const { client, email } = await onboardedUser(server);
    const response = await client.post('/api/profile/email', { email });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe(IdentityErrors.sameEmail().code);
  });

  it('refuses a confirmation link used twice', async () => {
    const { client } = await onboardedUser(server);
    const newEmail = uniqueEmail('grace');
    await client.post('/api/profile/email', { email: newEmail });
    const token = linkIn((await lastMessageTo(server, newEmail)).text);
    expect((await client.post('/api/email-change/confirm', { token })).status).toBe(200);
    const again = await client.post('/api/email-change/confirm', { token });
    expect(again.status).toBe(410);
    expect(again.body.code).toBe(IdentityErrors.linkUsed().code);
  });

  it('refuses a confirmation link older than 24 hours, and keeps the old email', async () => {
    const { client, email } = await onboardedUser(server);
    const newEmail = uniqueEmail('grace');
    await client.post('/api/profile/email', { email: newEmail });
    const token = linkIn((await lastMessageTo(server, newEmail)).text);
    await later(server, 24 * 60 + 1, async () => {
      const response = await new ConsoleClient(server.url).post('/api/email-change/confirm', { token });
      expect(response.status).toBe(410);
      expect(response.body.code).toBe(IdentityErrors.linkExpired().code);
      expect(response.body.detail).toMatch(/Ask for a new one/);
    });
    expect(await emailOf(client)).toBe(email);
    expect(await messagesTo(server, email)).not.toContainEqual(
      expect.objectContaining({ subject: 'Your sign-in email was changed' }),
    );
  });

  it('refuses the link when another user took the address in the meantime, and keeps the old email', async () => {
    const { client, email } = await onboardedUser(server);
    const newEmail = uniqueEmail('grace');
    await client.post('/api/profile/email', { email: newEmail });
    const token = linkIn((await lastMessageTo(server, newEmail)).text);
    const signUp = await new ConsoleClient(server.url).post('/api/signup', {
      name: 'Grace Hopper',
      email: newEmail,
      password: strongPassword,
    });
    expect(signUp.status).toBe(201);
    const response = await client.post('/api/email-change/confirm', { token });
    expect(response.status).toBe(409);
    expect(response.body.code).toBe(IdentityErrors.emailTaken('user').code);
    expect(await emailOf(client)).toBe(email);
  });

  it('needs a re-authentication when the last sign-in or factor check is more than 10 minutes old', async () => {
    const { client, email } = await onboardedUser(server);
    const newEmail = uniqueEmail('grace');
    await later(server, 11, async () => {
      const refused = await client.post('/api/profile/email', { email: newEmail });
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe(IdentityErrors.reauthenticationRequired().code);
      expect(await messagesTo(server, newEmail)).toHaveLength(0);
      expect((await client.post('/api/session/reauthenticate', {})).status).toBe(400);
      expect((await client.post('/api/session/reauthenticate', { password: strongPassword })).status).toBe(
        204,
      );
      expect((await client.post('/api/profile/email', { email: newEmail })).status).toBe(202);
    });
    expect(await emailOf(client)).toBe(email);
  });

  it('accepts a phone code as the re-authentication', async () => {
    const { client, phone } = await onboardedUser(server);
    await later(server, 11, async () => {
      expect((await client.post('/api/security/phone-code', { channel: 'sms' })).status).toBe(202);
      const code = codeIn((await lastMessageTo(server, phone)).text);
      expect((await client.post('/api/session/reauthenticate', { method: 'phone', code })).status).toBe(204);
      expect((await client.post('/api/profile/email', { email: uniqueEmail('grace') })).status).toBe(202);
    });
  });

  it('accepts the change 9 minutes after sign-in without asking again', async () => {
    const { client } = await onboardedUser(server);
    await later(server, 9, async () => {
      expect((await client.post('/api/profile/email', { email: uniqueEmail('grace') })).status).toBe(202);
    });
  });
});

describe('change password', () => {
  it('changes the password with the current one and ends the other sessions, keeping this one', async () => {
    const { client, email, phone } = await onboardedUser(server);
    const other = await signInWithPhone(server, email, phone);
    const response = await client.post('/api/profile/password', {
      currentPassword: strongPassword,
      newPassword,
    });
    expect(response.status).toBe(204);
    expect((await client.get('/api/me')).status).toBe(200);
    expect((await other.get('/api/me')).status).toBe(401);
    expect(
      (await new ConsoleClient(server.url).post('/api/session', { email, password: newPassword })).status,
    ).toBe(200);
    expect(
      (await new ConsoleClient(server.url).post('/api/session', { email, password: strongPassword })).status,
    ).toBe(401);
    expect((await lastMessageTo(server, email)).subject).toBe('Your password was changed');
  });

  it('refuses a wrong current password and keeps the other sessions', async () => {
    const { client, email, phone } = await onboardedUser(server);
    const other = await signInWithPhone(server, email, phone);
    const response = await client.post('/api/profile/password', {
      currentPassword: 'Wrong-Harbor-Lantern-41',
      newPassword,
    });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe(IdentityErrors.passwordIncorrect('password').code);
    expect(response.body.errors).toContainEqual(expect.objectContaining({ field: 'currentPassword' }));
    expect((await other.get('/api/me')).status).toBe(200);
  });

  it('refuses a new password under the policy, saying why', async () => {
    const { client, email } = await onboardedUser(server);
    const response = await client.post('/api/profile/password', {
      currentPassword: strongPassword,
      newPassword: 'short',
    });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe(PasswordPolicyErrors.weakPassword);
    expect(response.body.detail).toMatch(/at least 12 characters/);
    expect(
      (await new ConsoleClient(server.url).post('/api/session', { email, password: strongPassword })).status,
    ).toBe(200);
  });
});

describe('name', () => {
  it('changes the name shown in the console', async () => {
    const { client } = await onboardedUser(server);
    expect((await client.patch('/api/profile', { name: '  Grace Hopper ' })).status).toBe(204);
    expect((await client.get('/api/me')).body.user.name).toBe('Grace Hopper');
  });

  it('refuses an empty name', async () => {
    const { client } = await onboardedUser(server);
    const response = await client.patch('/api/profile', { name: '   ' });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe(IdentityErrors.invalidName().code);
  });
});
