import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SsoErrors } from '../../src/modules/sso/errors.js';
import { onboardedUser } from '../support/journeys.js';
import { lastMessageTo, linkIn } from '../support/outbox.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

/** Puts an account in the state an Owner reaches after staff enable SSO and an IdP passes its test: SSO required. */
async function requireSso(accountId: string) {
  const db = server.system.database.db;
  await db
    .insertInto('sso_settings')
    .values({ account_id: accountId, enabled_at: new Date(), require_sso: true })
    .execute();
  await db
    .insertInto('sso_connections')
    .values({
      id: randomUUID(),
      account_id: accountId,
      protocol: 'oidc',
      status: 'active',
      oidc_issuer: 'https://idp.example',
      oidc_client_id: 'x',
    })
    .execute();
}

describe('require SSO when switching accounts', () => {
  it('refuses a member signed in elsewhere from switching into an account that requires SSO', async () => {
    const owner = await onboardedUser(server);
    const member = await onboardedUser(server);
    await owner.client.post('/api/team/invitations', { email: member.email, role: 'developer' });
    const token = linkIn((await lastMessageTo(server, member.email)).text);
    expect((await member.client.post('/api/invitations/accept', { token })).status).toBe(200);
    const me = await member.client.get('/api/me');
    const own = me.body.memberships.find((m: { role: string }) => m.role === 'owner');
    const invited = me.body.memberships.find((m: { role: string }) => m.role === 'developer');
    expect((await member.client.post('/api/session/account', { accountId: own.accountId })).status).toBe(204);
    await requireSso(invited.accountId);
    const refused = await member.client.post('/api/session/account', { accountId: invited.accountId });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe(SsoErrors.required('').code);
    expect((await member.client.get('/api/me')).body.account.id).toBe(own.accountId);
  });

  it('lets the Owner switch into their own account that requires SSO (break-glass)', async () => {
    const owner = await onboardedUser(server);
    const other = await onboardedUser(server);
    await other.client.post('/api/team/invitations', { email: owner.email, role: 'support' });
    const token = linkIn((await lastMessageTo(server, owner.email)).text);
    await owner.client.post('/api/invitations/accept', { token });
    const me = await owner.client.get('/api/me');
    const own = me.body.memberships.find((m: { role: string }) => m.role === 'owner');
    await requireSso(own.accountId);
    expect((await owner.client.post('/api/session/account', { accountId: own.accountId })).status).toBe(204);
  });
});
