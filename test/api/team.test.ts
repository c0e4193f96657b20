import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TeamErrors } from '../../src/modules/team/errors.js';
import { ConsoleClient } from '../support/browser-client.js';
import {
  onboardedUser,
  signInWithPhone,
  strongPassword,
  uniqueEmail,
  userIdOf,
} from '../support/journeys.js';
import { lastMessageTo, linkIn } from '../support/outbox.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { invitedMember } from '../support/team.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

/** The team events recorded in an account, oldest first, with who did them. */
async function teamEventsOf(accountId: string) {
  const rows = await server.system.database.db
    .selectFrom('audit_events')
    .select(['action', 'user_id', 'details'])
    .where('account_id', '=', accountId)
    .where('action', 'like', 'team.%')
    .orderBy('id')
    .execute();
  return rows.map((row) => ({ action: row.action, userId: row.user_id, details: row.details }));
}

const accountIdOf = async (client: ConsoleClient) => (await client.get('/api/me')).body.account.id as string;

describe('inviting team members (Settings > Account > Team)', () => {
  it('adds an invited Developer who accepts from the email link and enrolls 2FA', async () => {
    const owner = await onboardedUser(server);
    const developer = await invitedMember(server, owner.client, 'developer');
    const team = await owner.client.get('/api/team');
    expect(team.body.members.map((m: { email: string; role: string }) => [m.email, m.role])).toEqual([
      [owner.email, 'owner'],
      [developer.email, 'developer'],
    ]);
    expect(team.body.invitations).toEqual([]);
    expect((await developer.client.get('/api/credentials')).status).toBe(200);
    const refused = await developer.client.get('/api/team');
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('role_not_permitted');
  });

  it('keeps an invitee without a second factor out of the console until they enroll', async () => {
    const owner = await onboardedUser(server);
    const email = uniqueEmail();
    await owner.client.post('/api/team/invitations', { email, role: 'support' });
    const client = new ConsoleClient(server.url);
    await client.post('/api/invitations/accept', {
      token: linkIn((await lastMessageTo(server, email)).text),
      name: 'Sam',
      password: strongPassword,
    });
    await client.refreshSession();
    expect((await client.get('/api/logs/api')).status).toBe(403);
  });

  it('refuses a personal email, a second invitation to the same address, and an existing member', async () => {
    const owner = await onboardedUser(server);
    expect(
      (await owner.client.post('/api/team/invitations', { email: 'x@gmail.com', role: 'developer' })).body
        .code,
    ).toBe(TeamErrors.workEmailRequired('').code);
    const email = uniqueEmail();
    expect((await owner.client.post('/api/team/invitations', { email, role: 'developer' })).status).toBe(201);
    expect((await owner.client.post('/api/team/invitations', { email, role: 'support' })).body.code).toBe(
      TeamErrors.alreadyInvited('').code,
    );
    expect(
      (await owner.client.post('/api/team/invitations', { email: owner.email, role: 'admin' })).body.code,
    ).toBe(TeamErrors.alreadyMember('').code);
  });

  it('makes a resent invitation’s old link stop working, and a revoked one say so', async () => {
    const owner = await onboardedUser(server);
    const email = uniqueEmail();
    const invited = await owner.client.post('/api/team/invitations', { email, role: 'developer' });
    const first = linkIn((await lastMessageTo(server, email)).text);
    expect((await owner.client.post(`/api/team/invitations/${invited.body.id}/resend`)).status).toBe(202);
    const second = linkIn((await lastMessageTo(server, email)).text);
    expect((await new ConsoleClient(server.url).get(`/api/invitations/${first}`)).status).toBe(404);
    expect((await new ConsoleClient(server.url).get(`/api/invitations/${second}`)).body.role).toBe(
      'developer',
    );
    expect((await owner.client.delete(`/api/team/invitations/${invited.body.id}`)).status).toBe(204);
    const revoked = await new ConsoleClient(server.url).post('/api/invitations/accept', {
      token: second,
      name: 'X',
      password: strongPassword,
    });
    expect(revoked.status).toBe(410);
    expect(revoked.body.code).toBe(TeamErrors.invitationRevoked().code);
  });

  it('accepts an invitation link once: the second use says it was already used, and adds nobody', async () => {
    const owner = await onboardedUser(server);
    const email = uniqueEmail();
    await owner.client.post('/api/team/invitations', { email, role: 'developer' });
    const token = linkIn((await lastMessageTo(server, email)).text);
    const details = { token, name: 'Grace Hopper', password: strongPassword };
    expect((await new ConsoleClient(server.url).post('/api/invitations/accept', details)).status).toBe(200);
    const secondVisitor = new ConsoleClient(server.url);
    const again = await secondVisitor.post('/api/invitations/accept', details);
    expect([again.status, again.body.code]).toEqual([410, TeamErrors.linkUsed().code]);
    expect(secondVisitor.cookies.has('sb_session')).toBe(false);
    const opened = await new ConsoleClient(server.url).get(`/api/invitations/${token}`);
    expect([opened.status, opened.body.code]).toEqual([410, TeamErrors.linkUsed().code]);
    const team = await owner.client.get('/api/team');
    expect(team.body.members.filter((m: { email: string }) => m.email === email)).toHaveLength(1);
  });

  it('audits resending and revoking an invitation, naming who did it', async () => {
    const owner = await onboardedUser(server);
    const ownerId = await userIdOf(owner.client);
    const email = uniqueEmail();
    const invited = await owner.client.post('/api/team/invitations', { email, role: 'support' });
    await owner.client.post(`/api/team/invitations/${invited.body.id}/resend`);
    await owner.client.delete(`/api/team/invitations/${invited.body.id}`);
    expect(await teamEventsOf(await accountIdOf(owner.client))).toEqual([
      { action: 'team.member_invited', userId: ownerId, details: { email, role: 'support' } },
      { action: 'team.invitation_resent', userId: ownerId, details: { email } },
      { action: 'team.invitation_revoked', userId: ownerId, details: { email } },
    ]);
  });

  it('refuses an invitation link after 7 days', async () => {
    const owner = await onboardedUser(server);
    const email = uniqueEmail();
    await owner.client.post('/api/team/invitations', { email, role: 'developer' });
    const token = linkIn((await lastMessageTo(server, email)).text);
    server.clock.advanceMinutes(7 * 24 * 60 + 1);
    try {
      const expired = await new ConsoleClient(server.url).get(`/api/invitations/${token}`);
      expect(expired.status).toBe(410);
      expect(expired.body.code).toBe(TeamErrors.linkExpired().code);
    } finally {
      server.clock.advanceMinutes(-(7 * 24 * 60 + 1));
    }
  });

  it('lets an existing user accept while signed in, and switch between their accounts', async () => {
    const first = await onboardedUser(server);
    const second = await onboardedUser(server);
    await first.client.post('/api/team/invitations', { email: second.email, role: 'support' });
    const token = linkIn((await lastMessageTo(server, second.email)).text);
    const signedOut = await new ConsoleClient(server.url).post('/api/invitations/accept', { token });
    expect(signedOut.status).toBe(401);
    expect(signedOut.body.code).toBe(TeamErrors.signInToAccept('').code);
    const accepted = await second.client.post('/api/invitations/accept', { token });
    expect(accepted.status).toBe(200);
    const me = await second.client.get('/api/me');
    expect(me.body.memberships).toHaveLength(2);
    expect((await second.client.get('/api/credentials')).status).toBe(403);
    const own = me.body.memberships.find((m: { role: string }) => m.role === 'owner');
    expect((await second.client.post('/api/session/account', { accountId: own.accountId })).status).toBe(204);
    expect((await second.client.get('/api/credentials')).status).toBe(200);
  });
});

describe('roles and removal', () => {
  it('changes a member’s role, emails them, and the new role applies on their next request', async () => {
    const owner = await onboardedUser(server);
    const member = await invitedMember(server, owner.client, 'developer');
    expect((await member.client.get('/api/credentials')).status).toBe(200);
    expect(
      (await owner.client.put(`/api/team/members/${member.userId}/role`, { role: 'support' })).status,
    ).toBe(204);
    expect((await lastMessageTo(server, member.email)).text).toMatch(/is now Support/);
    expect((await member.client.get('/api/credentials')).status).toBe(403);
    expect((await member.client.get('/api/logs/api')).status).toBe(200);
    const ownerId = await userIdOf(owner.client);
    expect((await teamEventsOf(await accountIdOf(owner.client))).at(-1)).toEqual({
      action: 'team.role_changed',
      userId: ownerId,
      details: { userId: member.userId, from: 'developer', to: 'support' },
    });
  });

  it('never changes or removes the Owner, and an Admin cannot', async () => {
    const owner = await onboardedUser(server);
    const admin = await invitedMember(server, owner.client, 'admin');
    const ownerId = (await owner.client.get('/api/me')).body.user.id;
    expect(
      (await admin.client.put(`/api/team/members/${ownerId}/role`, { role: 'developer' })).body.code,
    ).toBe(TeamErrors.ownerIsFixed('').code);
    expect((await admin.client.delete(`/api/team/members/${ownerId}`)).body.code).toBe(
      TeamErrors.ownerIsFixed('').code,
    );
    expect((await owner.client.put(`/api/team/members/${ownerId}/role`, { role: 'admin' })).body.code).toBe(
      TeamErrors.ownerIsFixed('').code,
    );
    const invalid = await admin.client.put(`/api/team/members/${ownerId}/role`, { role: 'owner' });
    expect(invalid.status).toBe(400);
    const team = await owner.client.get('/api/team');
    expect(team.body.members.map((m: { userId: string; role: string }) => [m.userId, m.role])).toContainEqual(
      [ownerId, 'owner'],
    );
    expect((await owner.client.get('/api/credentials')).status).toBe(200);
  });

  it('lets an Admin change and remove another Admin, an equal rank, but no role reaches Owner', async () => {
    const owner = await onboardedUser(server);
    const admin = await invitedMember(server, owner.client, 'admin');
    const peer = await invitedMember(server, owner.client, 'admin');
    expect(
      (await admin.client.put(`/api/team/members/${peer.userId}/role`, { role: 'developer' })).status,
    ).toBe(204);
    expect((await peer.client.get('/api/team')).status).toBe(403);
    expect((await admin.client.put(`/api/team/members/${peer.userId}/role`, { role: 'admin' })).status).toBe(
      204,
    );
    expect((await admin.client.delete(`/api/team/members/${peer.userId}`)).status).toBe(204);
    expect((await peer.client.get('/api/me')).status).toBe(401);
  });

  it('ends a removed member’s session at once; their next request is refused', async () => {
    const owner = await onboardedUser(server);
    const member = await invitedMember(server, owner.client, 'developer');
    expect((await member.client.get('/api/credentials')).status).toBe(200);
    expect((await owner.client.delete(`/api/team/members/${member.userId}`)).status).toBe(204);
    expect((await member.client.get('/api/credentials')).status).toBe(401);
    expect((await lastMessageTo(server, member.email)).subject).toMatch(/removed/);
    const audited = await server.system.database.db
      .selectFrom('audit_events')
      .select('action')
      .where('action', 'in', ['team.member_invited', 'team.invitation_accepted', 'team.member_removed'])
      .where(sql<boolean>`details @> ${JSON.stringify({ userId: member.userId })}::jsonb`)
      .execute();
    expect(audited.map((a) => a.action)).toEqual(['team.member_removed']);
  });

  it('keeps a removed member’s session in another account they belong to working', async () => {
    const first = await onboardedUser(server);
    const person = await onboardedUser(server);
    const ownAccountId = await accountIdOf(person.client);
    await first.client.post('/api/team/invitations', { email: person.email, role: 'developer' });
    const token = linkIn((await lastMessageTo(server, person.email)).text);
    // A second session, signed in before accepting, works in the person's own account; accepting
    // moves the first session into the inviting account.
    const inOwn = await signInWithPhone(server, person.email, person.phone);
    expect((await person.client.post('/api/invitations/accept', { token })).status).toBe(200);
    expect(await accountIdOf(inOwn)).toBe(ownAccountId);
    expect((await person.client.get('/api/credentials')).status).toBe(200);
    expect((await first.client.delete(`/api/team/members/${await userIdOf(person.client)}`)).status).toBe(
      204,
    );
    expect((await person.client.get('/api/credentials')).status).toBe(401);
    const me = await inOwn.get('/api/me');
    expect([me.status, me.body.account.id, me.body.memberships.length]).toEqual([200, ownAccountId, 1]);
    expect((await inOwn.get('/api/credentials')).status).toBe(200);
  });
});
