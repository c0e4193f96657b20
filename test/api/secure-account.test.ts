import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAccount, v1 } from '../support/api-account.js';
import { later, signInWithPhone, strongPassword } from '../support/journeys.js';
import { messagesTo } from '../support/outbox.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { invitedMember } from '../support/team.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

const newPassword = 'Copper-Meadow-Falcon-77';

describe('Secure my account (FAQ: "What should I do if my account is compromised?")', () => {
  it('revokes every token (subaccounts too), ends every session, asks each member for a new password, and shows what to review', async () => {
    const owner = await apiAccount(server);
    const developer = await invitedMember(server, owner.client, 'developer');
    const subaccount = await server.system.subaccounts.create(
      { ip: '127.0.0.1', userAgent: null, userId: null },
      owner.accountId,
      { name: 'Regional team', enabled: true },
    );
    const ownerElsewhere = await signInWithPhone(server, owner.email, owner.phone);
    expect((await v1(server, owner, 'GET', `/Account/${owner.authId}/`)).status).toBe(200);

    // Only the Owner or an Admin, and only after re-authentication.
    const byDeveloper = await developer.client.post('/api/security/secure-account', {
      includeSubaccounts: true,
    });
    expect(byDeveloper.status).toBe(403);
    expect(byDeveloper.body.code).toBe('role_not_permitted');
    const stale = await later(server, 11, () =>
      owner.client.post('/api/security/secure-account', { includeSubaccounts: true }),
    );
    expect(stale.status).toBe(403);
    expect(stale.body.code).toBe('reauthentication_required');
    server.clock.advanceMinutes(11);
    expect(
      (await owner.client.post('/api/session/reauthenticate', { password: strongPassword })).status,
    ).toBe(204);

    const secured = await owner.client.post('/api/security/secure-account', { includeSubaccounts: true });
    expect(secured.status, JSON.stringify(secured.body)).toBe(200);
    expect(secured.body.subaccountsRevoked).toBe(1);
    expect(secured.body.membersSignedOut).toBe(2);

    // The old tokens are refused, the new one works; the subaccount's old token is refused too.
    expect((await v1(server, owner, 'GET', `/Account/${owner.authId}/`)).status).toBe(401);
    const fresh = { authId: owner.authId, authToken: secured.body.authToken as string };
    expect((await v1(server, fresh, 'GET', `/Account/${owner.authId}/`)).status).toBe(200);
    expect((await v1(server, subaccount, 'GET', `/Account/${subaccount.authId}/`)).status).toBe(401);

    // Every session of every member ended, except the one that secured the account.
    expect((await developer.client.get('/api/me')).status).toBe(401);
    expect((await ownerElsewhere.get('/api/me')).status).toBe(401);
    expect((await owner.client.get('/api/me')).status).toBe(200);

    // What to review next: sign-ins with place and device, members with their Remove route, support.
    const review = secured.body.review;
    expect(review.signIns.length).toBeGreaterThan(0);
    expect(review.signIns[0]).toMatchObject({ email: expect.any(String), place: expect.any(String) });
    expect(review.signIns[0].device).toContain('Chrome');
    expect(review.members.map((m: { email: string }) => m.email).sort()).toEqual(
      [owner.email, developer.email].sort(),
    );
    expect(review.teamChanges.some((c: { action: string }) => c.action === 'team.member_invited')).toBe(true);
    expect(review.usage.days).toEqual([]);
    expect(review.receipts).toEqual([]);
    expect(review.supportUrl).toBe('/support');
    expect((await owner.client.get('/api/security/account-review')).body.members).toHaveLength(2);

    // Audited, and the Owner is emailed.
    const audit = await server.system.database.db
      .selectFrom('audit_events')
      .select(['action', 'details'])
      .where('account_id', '=', owner.accountId)
      .where('action', '=', 'account.secured')
      .execute();
    expect(audit).toHaveLength(1);
    expect((await messagesTo(server, owner.email)).some((m) => m.subject.includes('was secured'))).toBe(true);

    // The member's next sign-in stops at a new password, before anything else.
    const back = await signInWithPhone(
      server,
      developer.email,
      developer.phone,
      strongPassword,
      developer.client,
    );
    expect((await back.get('/api/session')).body.stage).toBe('password_change');
    const blocked = await back.get('/api/me');
    expect(blocked.status).toBe(403);
    expect(blocked.body.code).toBe('password_change_required');
    const same = await back.post('/api/session/new-password', { password: strongPassword });
    expect(same.status).toBe(400);
    expect(same.body.code).toBe('same_password');
    const changed = await back.post('/api/session/new-password', { password: newPassword });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    await back.refreshSession();
    expect((await back.get('/api/me')).status).toBe(200);

    // The Remove button beside a member is the team's own route.
    expect((await owner.client.delete(`/api/team/members/${developer.userId}`)).status).toBe(204);
    expect((await back.get('/api/me')).status).not.toBe(200);
  });

  it('leaves subaccounts’ tokens alone unless asked', async () => {
    const owner = await apiAccount(server);
    const subaccount = await server.system.subaccounts.create(
      { ip: '127.0.0.1', userAgent: null, userId: null },
      owner.accountId,
      { name: 'Kept team', enabled: true },
    );
    // The caller says whether subaccounts are included: no default.
    expect((await owner.client.post('/api/security/secure-account', {})).status).toBe(400);
    const secured = await owner.client.post('/api/security/secure-account', { includeSubaccounts: false });
    expect(secured.status, JSON.stringify(secured.body)).toBe(200);
    expect(secured.body.subaccountsRevoked).toBe(0);
    expect((await v1(server, subaccount, 'GET', `/Account/${subaccount.authId}/`)).status).toBe(200);
  });
});
