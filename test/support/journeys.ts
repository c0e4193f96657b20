import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { ConsoleClient } from './browser-client.js';
import { codeIn, lastMessageTo, linkIn } from './outbox.js';
import type { TestServer } from './server.js';

export const strongPassword = 'Violet-Harbor-Lantern-42';

let counter = 0;
/** A unique work email at a company domain, so every test has its own person. */
export function uniqueEmail(prefix = 'ada') {
  counter += 1;
  return `${prefix}.${counter}.${randomBytes(3).toString('hex')}@acme-telecom.com`;
}

export function uniquePhone() {
  return `+1415555${String(1000 + Math.floor(Math.random() * 8999)).padStart(4, '0')}`;
}

/** Signs up and verifies email and phone through the API; answers the client holding a full session. */
export async function onboardedUser(server: TestServer, options: { businessProfile?: boolean } = {}) {
  const client = new ConsoleClient(server.url);
  const email = uniqueEmail();
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
      website: 'https://acme-telecom.com',
      country: 'US',
      intendedUse: 'Two-factor SMS for our customers',
    });
    expect(profile.status, JSON.stringify(profile.body)).toBe(200);
  }
  return { client, email, phone, password: strongPassword };
}

/** Signs in with password and a phone code on a fresh client. */
export async function signInWithPhone(
  server: TestServer,
  email: string,
  phone: string,
  password = strongPassword,
) {
  const client = new ConsoleClient(server.url);
  const first = await client.post('/api/session', { email, password });
  expect(first.status, JSON.stringify(first.body)).toBe(200);
  await client.refreshSession();
  expect((await client.post('/api/session/phone-code', { channel: 'sms' })).status).toBe(202);
  const code = codeIn((await lastMessageTo(server, phone)).text);
  const second = await client.post('/api/session/second-factor', { method: 'phone', code });
  expect(second.status, JSON.stringify(second.body)).toBe(200);
  await client.refreshSession();
  return client;
}
