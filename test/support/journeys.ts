import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { totpCodeAt } from '../../src/modules/identity/totp.js';
import { ConsoleClient } from './browser-client.js';
import { codeIn, lastMessageTo, linkIn } from './outbox.js';
import type { TestServer } from './server.js';

export const strongPassword = 'Violet-Harbor-Lantern-42';

let counter = 0;
/** A unique work email at a company domain, so every test has its own person. */
export function uniqueEmail(prefix = 'ada', domain = 'acme-telecom.com') {
  counter += 1;
  return `${prefix}.${counter}.${randomBytes(3).toString('hex')}@${domain}`;
}

export function uniquePhone() {
  return `+1415555${String(1000 + Math.floor(Math.random() * 8999)).padStart(4, '0')}`;
}

/**
 * Signs up and verifies email and phone through the API; answers the client holding a full session.
 * The email (and so the company's website) and the client's address may be chosen.
 */
export async function onboardedUser(
  server: TestServer,
  options: { businessProfile?: boolean; email?: string; client?: ConsoleClient } = {},
) {
  const client = options.client ?? new ConsoleClient(server.url);
  const email = options.email ?? uniqueEmail();
  const phone = uniquePhone();
  const signUp = await client.post('/api/signup', { name: 'Ada Lovelace', email, password: strongPassword });
  expect(signUp.status, JSON.stringify(signUp.body)).toBe(201);
  await client.refreshSession();
  const token = linkIn((await lastMessageTo(server, email)).text);
  expect((await client.post('/api/email-verification', { token })).status).toBe(200);
  expect((await client.post('/api/onboarding/phone', { phone, channel: 'sms' })).status).toBe(202);
  const code = codeIn((await lastMessageTo(server, phone)).text);
  const verified = await client.post('/api/onboarding/phone/verify', { code });
  expect(verified.status, JSON.stringify(verified.body)).toBe(200);
  await client.refreshSession();
  if (options.businessProfile !== false) {
    const profile = await client.post('/api/onboarding/business-profile', {
      companyName: 'Acme Telecom',
      website: `https://${email.split('@')[1]}`,
      country: 'US',
      intendedUse: 'Two-factor SMS for our customers',
    });
    expect(profile.status, JSON.stringify(profile.body)).toBe(200);
  }
  return { client, email, phone, password: strongPassword };
}

/** The password step of sign-in; answers the client, now owing a second factor. */
export async function passwordStep(
  server: TestServer,
  email: string,
  password = strongPassword,
  client = new ConsoleClient(server.url),
) {
  const first = await client.post('/api/session', { email, password });
  expect(first.status, JSON.stringify(first.body)).toBe(200);
  expect(first.body.stage).toBe('second_factor');
  await client.refreshSession();
  return client;
}

/** Signs in with password and a phone code (on a fresh client unless one is given). */
export async function signInWithPhone(
  server: TestServer,
  email: string,
  phone: string,
  password = strongPassword,
  client = new ConsoleClient(server.url),
) {
  await passwordStep(server, email, password, client);
  expect((await client.post('/api/session/phone-code', { channel: 'sms' })).status).toBe(202);
  const code = codeIn((await lastMessageTo(server, phone)).text);
  const second = await client.post('/api/session/second-factor', { method: 'phone', code });
  expect(second.status, JSON.stringify(second.body)).toBe(200);
  await client.refreshSession();
  return client;
}

/** Signs in with password and a code from the authenticator app (at the server's current time). */
export async function signInWithApp(
  server: TestServer,
  email: string,
  secret: string,
  client = new ConsoleClient(server.url),
) {
  await passwordStep(server, email, strongPassword, client);
  const code = totpCodeAt(secret, server.clock.now());
  const second = await client.post('/api/session/second-factor', { method: 'totp', code });
  expect(second.status, JSON.stringify(second.body)).toBe(200);
  await client.refreshSession();
  return client;
}

/**
 * Adds an authenticator app (phone code, then the QR code's secret, then a code from the app);
 * answers the secret. The step of the confirming code is used, so a sign-in needs a later one.
 */
export async function addAuthenticator(server: TestServer, client: ConsoleClient, phone: string) {
  expect((await client.post('/api/security/authenticator', { channel: 'sms' })).status).toBe(202);
  const phoneCode = codeIn((await lastMessageTo(server, phone)).text);
  const scan = await client.post('/api/security/authenticator/verify-phone', { code: phoneCode });
  expect(scan.status, JSON.stringify(scan.body)).toBe(200);
  const secret = scan.body.secret as string;
  const confirmed = await client.post('/api/security/authenticator/confirm', {
    code: totpCodeAt(secret, server.clock.now()),
  });
  expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(204);
  return secret;
}

/** Moves the server's clock for the length of fn, and back again even when fn fails. */
export async function later<T>(server: TestServer, minutes: number, fn: () => Promise<T>): Promise<T> {
  server.clock.advanceMinutes(minutes);
  try {
    return await fn();
  } finally {
    server.clock.advanceMinutes(-minutes);
  }
}

/** The id of the signed-in person. */
export async function userIdOf(client: ConsoleClient): Promise<string> {
  const me = await client.get('/api/me');
  expect(me.status, JSON.stringify(me.body)).toBe(200);
  return me.body.user.id as string;
}

/** The audit actions recorded about a user, oldest first. */
export async function auditActionsOf(server: TestServer, userId: string): Promise<string[]> {
  const rows = await server.system.database.db
    .selectFrom('audit_events')
    .select('action')
    .where('user_id', '=', userId)
    .orderBy('id')
    .execute();
  return rows.map((row) => row.action);
}

/** Moves the clock on by whole minutes and then to the middle of a 30-second TOTP step, so no request crosses a step boundary. */
export function advanceToMiddleOfStep(server: TestServer, minutes: number) {
  server.clock.advanceMinutes(minutes);
  const intoStep = server.clock.now().getTime() % 30_000;
  server.clock.advanceMinutes((45_000 - intoStep) / 60_000);
}

export const staffPassword = 'Granite-Orchard-Beacon-58';

/**
 * A staff member created as the CLI does, set up from the setup link (password and authenticator
 * app); answers what signing in needs. The setup code's step is used, so sign-in needs a later one.
 */
export async function setUpStaff(server: TestServer, role: 'staff_admin' | 'agent' = 'agent') {
  const email = uniqueEmail('staff');
  const created = await server.system.staff.create({ email, name: 'Sam Reviewer', role });
  const token = new URL(created.setupLink).searchParams.get('token') as string;
  const client = new ConsoleClient(server.url);
  const details = await client.get(`/api/staff/setup/${token}`);
  expect(details.status, JSON.stringify(details.body)).toBe(200);
  const secret = details.body.secret as string;
  const setup = await client.post('/api/staff/setup', {
    token,
    password: staffPassword,
    code: totpCodeAt(secret, server.clock.now()),
  });
  expect(setup.status, JSON.stringify(setup.body)).toBe(204);
  return { email, secret, token, id: created.id };
}

/** Staff sign-in: password, then a code from the app of a later step than any used; answers the client. */
export async function signInStaff(
  server: TestServer,
  staff: { email: string; secret: string },
  client = new ConsoleClient(server.url),
) {
  advanceToMiddleOfStep(server, 1);
  const first = await client.post('/api/staff/session', { email: staff.email, password: staffPassword });
  expect(first.status, JSON.stringify(first.body)).toBe(200);
  client.csrfToken = first.body.csrfToken;
  const second = await client.post('/api/staff/session/second-factor', {
    code: totpCodeAt(staff.secret, server.clock.now()),
  });
  expect(second.status, JSON.stringify(second.body)).toBe(200);
  await client.refreshSession('/api/staff/session');
  return client;
}
