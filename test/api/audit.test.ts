import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleClient } from '../support/browser-client.js';
import {
  addAuthenticator,
  auditActionsOf,
  onboardedUser,
  passwordStep,
  setUpStaff,
  signInStaff,
  signInWithPhone,
  strongPassword,
  uniqueEmail,
  uniquePhone,
  userIdOf,
} from '../support/journeys.js';
import { codeIn, lastMessageTo, linkIn } from '../support/outbox.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

const db = () => server.system.database.db;

/** The newest audit event of an action about a user. */
async function lastEvent(userId: string, action: string) {
  return db()
    .selectFrom('audit_events')
    .selectAll()
    .where('user_id', '=', userId)
    .where('action', '=', action)
    .orderBy('id', 'desc')
    .executeTakeFirst();
}

/** The actions recorded about a user since the given list of earlier ones. */
async function newActions(userId: string, before: string[]) {
  return (await auditActionsOf(server, userId)).slice(before.length);
}

describe('every step of onboarding and sign-in writes an audit event', () => {
  it('records sign-up, email verification, phone verification and activation, with the IP and browser', async () => {
    const { client } = await onboardedUser(server);
    const userId = await userIdOf(client);
    expect(await auditActionsOf(server, userId)).toEqual([
      'user.signed_up',
      'user.email_verified',
      'user.phone_code_sent',
      'user.phone_verified',
      'account.activated',
    ]);
    const signUp = await lastEvent(userId, 'user.signed_up');
    expect(signUp?.ip).toBe(client.ip);
    expect(signUp?.user_agent).toBe(client.userAgent);
    expect(signUp?.account_id).toBeTruthy();
    expect(signUp?.created_at).toBeInstanceOf(Date);
  });

  it('records a resent activation link and a phone code sent, masking the number', async () => {
    const client = new ConsoleClient(server.url);
    const email = uniqueEmail();
    await client.post('/api/signup', { name: 'Ada', email, password: strongPassword });
    await client.refreshSession();
    const userId = (await client.get('/api/session')).body.user.id as string;
    expect((await client.post('/api/email-verification/resend')).status).toBe(202);
    await client.post('/api/email-verification', {
      token: linkIn((await lastMessageTo(server, email)).text),
    });
    const phone = uniquePhone();
    expect((await client.post('/api/onboarding/phone', { phone, channel: 'voice' })).status).toBe(202);
    expect(await auditActionsOf(server, userId)).toEqual([
      'user.signed_up',
      'user.email_verification_resent',
      'user.email_verified',
      'user.phone_code_sent',
    ]);
    expect(await lastEvent(userId, 'user.email_verification_resent')).toMatchObject({
      ip: client.ip,
      details: { email },
    });
    const sent = await lastEvent(userId, 'user.phone_code_sent');
    expect(sent).toMatchObject({ ip: client.ip, details: { channel: 'voice' } });
    expect(JSON.stringify(sent?.details)).not.toContain(phone);
    expect(JSON.stringify(sent?.details)).toContain(phone.slice(-4));
  });

  it('records each sign-in with its IP, browser and method, and the sign-out', async () => {
    const { client, email, phone } = await onboardedUser(server);
    const userId = await userIdOf(client);
    const before = await auditActionsOf(server, userId);
    const browser = await signInWithPhone(server, email, phone);
    expect((await browser.delete('/api/session')).status).toBe(204);
    expect(await newActions(userId, before)).toEqual(['user.signed_in', 'user.signed_out']);
    const signIn = await lastEvent(userId, 'user.signed_in');
    expect(signIn?.ip).toBe(browser.ip);
    expect(signIn?.details).toMatchObject({ method: 'phone', newDevice: true });
    expect((await lastEvent(userId, 'user.signed_out'))?.ip).toBe(browser.ip);
  });

  it('records failed sign-ins and the lockout', async () => {
    const { client, email } = await onboardedUser(server);
    const userId = await userIdOf(client);
    const before = await auditActionsOf(server, userId);
    const attacker = new ConsoleClient(server.url);
    for (let i = 0; i < 5; i++)
      await attacker.post('/api/session', { email, password: 'Wrong-Harbor-Lantern-41' });
    expect(await newActions(userId, before)).toEqual([
      'user.authentication_failed',
      'user.authentication_failed',
      'user.authentication_failed',
      'user.authentication_failed',
      'user.authentication_failed',
      'user.locked_out',
    ]);
    expect((await lastEvent(userId, 'user.authentication_failed'))?.ip).toBe(attacker.ip);
  });

  it('records a failed second factor', async () => {
    const { client, email } = await onboardedUser(server);
    const userId = await userIdOf(client);
    const signIn = await passwordStep(server, email);
    await signIn.post('/api/session/second-factor', { method: 'recovery_code', code: 'wrong-guess' });
    expect(await lastEvent(userId, 'user.authentication_failed')).toMatchObject({ ip: signIn.ip });
  });
});

describe('every change to credentials and security settings writes an audit event', () => {
  it('records re-authentication, the authenticator app, recovery codes and phone codes on and off', async () => {
    const { client, phone } = await onboardedUser(server);
    const userId = await userIdOf(client);
    const before = await auditActionsOf(server, userId);
    expect((await client.post('/api/session/reauthenticate', { password: strongPassword })).status).toBe(204);
    await addAuthenticator(server, client, phone);
    await client.post('/api/security/recovery-codes');
    await client.put('/api/security/phone-factor', { enabled: false });
    await client.put('/api/security/phone-factor', { enabled: true });
    await client.delete('/api/security/authenticator');
    expect(await newActions(userId, before)).toEqual([
      'user.reauthenticated',
      'user.totp_enabled',
      'user.recovery_codes_generated',
      'user.phone_factor_disabled',
      'user.phone_factor_enabled',
      'user.totp_removed',
    ]);
  });

  it('records a change of the 2FA phone, masking the numbers', async () => {
    const { client, phone } = await onboardedUser(server);
    const userId = await userIdOf(client);
    await client.post('/api/security/phone-code', { channel: 'sms' });
    const code = codeIn((await lastMessageTo(server, phone)).text);
    const before = await auditActionsOf(server, userId);
    expect((await client.post('/api/security/phone-change', { method: 'phone', code })).status).toBe(200);
    expect(await newActions(userId, before)).toEqual(['user.phone_change_authenticated']);
    expect(await lastEvent(userId, 'user.phone_change_authenticated')).toMatchObject({
      ip: client.ip,
      details: { method: 'phone' },
    });
    const newPhone = uniquePhone();
    await client.post('/api/security/phone-change/number', { phone: newPhone, channel: 'sms' });
    const newCode = codeIn((await lastMessageTo(server, newPhone)).text);
    expect((await client.post('/api/security/phone-change/verify', { code: newCode })).status).toBe(200);
    const event = await lastEvent(userId, 'user.phone_changed');
    expect(event?.ip).toBe(client.ip);
    expect(JSON.stringify(event?.details)).not.toContain(newPhone);
    expect(JSON.stringify(event?.details)).toContain(newPhone.slice(-4));
  });

  it('records a password change, an email change and a rename', async () => {
    const { client } = await onboardedUser(server);
    const userId = await userIdOf(client);
    const before = await auditActionsOf(server, userId);
    await client.patch('/api/profile', { name: 'Grace Hopper' });
    await client.post('/api/profile/password', {
      currentPassword: strongPassword,
      newPassword: 'Copper-Meadow-Signal-73',
    });
    const newEmail = uniqueEmail('grace');
    await client.post('/api/profile/email', { email: newEmail });
    await client.post('/api/email-change/confirm', {
      token: linkIn((await lastMessageTo(server, newEmail)).text),
    });
    expect(await newActions(userId, before)).toEqual([
      'user.renamed',
      'user.password_changed',
      'user.email_change_requested',
      'user.email_changed',
    ]);
  });

  it('records a password reset request and the reset', async () => {
    const { client, email } = await onboardedUser(server);
    const userId = await userIdOf(client);
    const before = await auditActionsOf(server, userId);
    const stranger = new ConsoleClient(server.url);
    await stranger.post('/api/password-reset', { email });
    await stranger.post('/api/password-reset/complete', {
      token: linkIn((await lastMessageTo(server, email)).text),
      password: 'Copper-Meadow-Signal-73',
    });
    expect(await newActions(userId, before)).toEqual([
      'user.password_reset_requested',
      'user.password_reset',
    ]);
    expect((await lastEvent(userId, 'user.password_reset'))?.ip).toBe(stranger.ip);
  });
});

describe('staff actions write audit events naming the staff member', () => {
  it('records creation, setup, sign-in, the review decision and sign-out', async () => {
    const staff = await setUpStaff(server);
    const owner = await onboardedUser(server, { businessProfile: false });
    const held = await owner.client.post('/api/onboarding/business-profile', {
      companyName: 'Acme Telecom',
      website: 'https://unrelated.example',
      country: 'US',
      intendedUse: 'Alerts',
    });
    const accountId = held.body.account.id as string;
    const client = await signInStaff(server, staff);
    await client.post(`/api/staff/reviews/${accountId}/decision`, {
      decision: 'approve',
      note: 'Looks fine.',
    });
    await client.delete('/api/staff/session');
    const created = await db()
      .selectFrom('audit_events')
      .select(['action', 'details'])
      .where('action', '=', 'staff.created')
      .execute();
    expect(created.some((row) => row.details.email === staff.email)).toBe(true);
    const rows = await db()
      .selectFrom('audit_events')
      .select(['action', 'ip', 'account_id', 'details'])
      .where('staff_id', '=', staff.id)
      .orderBy('id')
      .execute();
    expect(rows.map((row) => row.action)).toEqual([
      'staff.setup_completed',
      'staff.signed_in',
      'account.review_approved',
      'staff.signed_out',
    ]);
    expect(rows[2]).toMatchObject({ ip: client.ip, account_id: accountId, details: { note: 'Looks fine.' } });
  });

  it('records a failed staff sign-in', async () => {
    const staff = await setUpStaff(server);
    const client = new ConsoleClient(server.url);
    await client.post('/api/staff/session', { email: staff.email, password: 'Wrong-Harbor-Lantern-41' });
    const row = await db()
      .selectFrom('audit_events')
      .select(['action', 'ip'])
      .where('staff_id', '=', staff.id)
      .orderBy('id', 'desc')
      .executeTakeFirst();
    expect(row).toEqual({ action: 'staff.authentication_failed', ip: client.ip });
  });
});
