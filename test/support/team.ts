import { expect } from 'vitest';
import type { Role } from '../../src/db/schema.js';
import { ConsoleClient } from './browser-client.js';
import { strongPassword, uniqueEmail, uniquePhone } from './journeys.js';
import { codeIn, lastMessageTo, linkIn } from './outbox.js';
import type { TestServer } from './server.js';

/** Invites a new person with a role, who accepts from the emailed link and enrolls 2FA; answers their console client. */
export async function invitedMember(server: TestServer, owner: ConsoleClient, role: Exclude<Role, 'owner'>) {
  const email = uniqueEmail(role);
  const phone = uniquePhone();
  const invited = await owner.post('/api/team/invitations', { email, role });
  expect(invited.status, JSON.stringify(invited.body)).toBe(201);
  const token = linkIn((await lastMessageTo(server, email)).text);
  const client = new ConsoleClient(server.url);
  const accepted = await client.post('/api/invitations/accept', {
    token,
    name: `Member ${role}`,
    password: strongPassword,
  });
  expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
  await client.refreshSession();
  expect((await client.post('/api/onboarding/phone', { phone, channel: 'sms' })).status).toBe(202);
  const code = codeIn((await lastMessageTo(server, phone)).text);
  expect((await client.post('/api/onboarding/phone/verify', { code })).status).toBe(200);
  await client.refreshSession();
  const me = await client.get('/api/me');
  return { client, email, phone, userId: me.body.user.id as string };
}
