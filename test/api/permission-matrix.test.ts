import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/db/schema.js';
import { permissions, type Rule } from '../../src/http/permissions.js';
import { apiAccount, v1 } from '../support/api-account.js';
import type { ConsoleClient } from '../support/browser-client.js';
import { uniqueEmail } from '../support/journeys.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { invitedMember } from '../support/team.js';

/**
 * Every console route restricted by role, called as each of the five roles: allowed roles get past
 * the permission check, every other role is refused with 403 role_not_permitted. A member of another
 * account addressing this account's resources by id gets 404. The table itself is the source: a new
 * route joins this matrix through its entry (and permission-table.test.ts fails without one).
 */
const roles: Role[] = ['owner', 'admin', 'developer', 'support', 'financial_analyst'];

let server: TestServer;
let clients: Record<Role, ConsoleClient>;
let outsider: ConsoleClient;
let ids: Record<string, string>;
let account: Awaited<ReturnType<typeof apiAccount>>;
let other: Awaited<ReturnType<typeof apiAccount>>;

beforeAll(async () => {
  server = await startTestServer();
  account = await apiAccount(server);
  const owner = account.client;
  const members = {
    admin: await invitedMember(server, owner, 'admin'),
    developer: await invitedMember(server, owner, 'developer'),
    support: await invitedMember(server, owner, 'support'),
    financial_analyst: await invitedMember(server, owner, 'financial_analyst'),
  };
  clients = {
    owner,
    ...Object.fromEntries(Object.entries(members).map(([role, m]) => [role, m.client])),
  } as Record<Role, ConsoleClient>;
  other = await apiAccount(server);
  outsider = other.client;
  const invitation = await owner.post('/api/team/invitations', { email: uniqueEmail(), role: 'support' });
  const entry = await owner.post('/api/ip-whitelist', { cidr: '192.0.2.0/24' });
  const token = await owner.post('/api/credentials/tokens', { keepOldTokens: true });
  ids = {
    userId: members.developer.userId,
    invitationId: invitation.body.id,
    entryId: entry.body.id,
    tokenId: token.body.id,
    accountId: account.accountId,
  };
}, 120_000);
afterAll(() => server.stop());

const restricted = Object.entries(permissions).filter(
  (entry): entry is [string, Rule & { roles: readonly Role[] }] =>
    typeof entry[1] !== 'string' && Boolean(entry[1].roles),
);

function call(client: ConsoleClient, key: string, params: (name: string) => string) {
  const [method = 'GET', url = ''] = key.split(' ');
  const path = url.replace(/:(\w+)/g, (_match, name: string) => params(name));
  return client.request(method, path, method === 'GET' || method === 'DELETE' ? undefined : {});
}

describe('the permission matrix of the console API', () => {
  it('covers every role-restricted route', () => {
    expect(restricted.length).toBeGreaterThanOrEqual(15);
  });

  for (const [key, rule] of restricted) {
    it(`${key}: allows ${rule.roles.join(', ')}, refuses the other roles`, async () => {
      for (const role of roles) {
        const answer = await call(clients[role], key, () => randomUUID());
        if (rule.roles.includes(role)) {
          expect(answer.body?.code, `${role} ${key}`).not.toBe('role_not_permitted');
          expect(answer.status, `${role} ${key}`).not.toBe(401);
        } else {
          expect([answer.status, answer.body?.code], `${role} ${key}`).toEqual([403, 'role_not_permitted']);
        }
      }
    });
  }

  it('never lets a member of another account act on this account’s resources by id', async () => {
    const withIds = restricted.filter(
      ([key]) => key.includes(':') && !key.startsWith('GET /api/invitations'),
    );
    expect(withIds.length).toBeGreaterThan(3);
    for (const [key] of withIds) {
      const answer = await call(outsider, key, (name) => ids[name] ?? randomUUID());
      expect(
        answer.status,
        `${key} → ${answer.status} ${JSON.stringify(answer.body)}`,
      ).toBeGreaterThanOrEqual(400);
    }
  });

  it('refuses staff routes to a customer session', async () => {
    for (const [key, rule] of Object.entries(permissions)) {
      const access = typeof rule === 'string' ? rule : rule.access;
      if (access !== 'staff') continue;
      const answer = await call(clients.owner, key, () => randomUUID());
      expect(answer.status, key).toBe(401);
    }
  });
});

describe('the permission matrix of the /v1 API', () => {
  it('answers 404 to another account’s credentials on every /v1/Account/{auth_id}/… route of this account', async () => {
    const accountRoutes = server.app.routeList.filter((route) => route.url.startsWith('/v1/Account/:authId'));
    expect(accountRoutes.length).toBeGreaterThanOrEqual(20);
    for (const route of accountRoutes) {
      const path = route.url
        .replace('/v1', '')
        .replace(':authId', account.authId)
        .replace(/:(\w+)/g, '1');
      const answer = await v1(
        server,
        other,
        route.method,
        path,
        route.method === 'GET' || route.method === 'DELETE' ? {} : { body: {} },
      );
      expect(answer.status, `${route.method} ${route.url}`).toBe(404);
    }
  });

  it('lets the account’s own credentials in, answers another account’s Auth ID in the path with 404, and wrong credentials with 401', async () => {
    expect((await v1(server, account, 'GET', `/Account/${account.authId}/`)).status).toBe(200);
    expect((await v1(server, other, 'GET', `/Account/${account.authId}/`)).status).toBe(404);
    expect(
      (await v1(server, other, 'POST', `/Account/${account.authId}/`, { body: { name: 'Hijacked' } })).status,
    ).toBe(404);
    expect(
      (
        await v1(
          server,
          { authId: account.authId, authToken: other.authToken },
          'GET',
          `/Account/${account.authId}/`,
        )
      ).status,
    ).toBe(401);
    expect((await v1(server, other, 'GET', '/Number/+14154305555?type=carrier')).status).toBe(200);
  });
});
