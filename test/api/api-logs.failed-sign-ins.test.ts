import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAccount, v1 } from '../support/api-account.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { invitedMember } from '../support/team.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

const guess = 'GuessedTokenGuessedTokenGuessedToken0001';

type Failure = {
  authId: string;
  subaccount: boolean;
  ip: string;
  count: number;
  firstAt: string;
  lastAt: string;
};

describe('failed sign-ins to the API (the compromise checklist: look for them)', () => {
  it('shows the Owner each address that failed to authenticate as the account or its subaccounts, with counts and times', async () => {
    const owner = await apiAccount(server);
    const sales = (await owner.client.post('/api/subaccounts', { name: 'Sales' })).body;
    const before = server.clock.now().getTime();
    for (let i = 0; i < 3; i++)
      expect(
        (
          await v1(server, { authId: owner.authId, authToken: guess }, 'GET', `/Account/${owner.authId}/`, {
            ip: '198.51.100.7',
          })
        ).status,
      ).toBe(401);
    await v1(server, { authId: owner.authId, authToken: guess }, 'GET', `/Account/${owner.authId}/`, {
      ip: '203.0.113.9',
    });
    await v1(server, { authId: sales.authId, authToken: guess }, 'GET', `/Account/${sales.authId}/`, {
      ip: '198.51.100.7',
    });
    expect((await v1(server, owner, 'GET', `/Account/${owner.authId}/`)).status).toBe(200);
    await server.system.requestLog.flush();

    const answer = await owner.client.get('/api/logs/api/failed-sign-ins');
    expect(answer.status).toBe(200);
    const failures = answer.body.failures as Failure[];
    const rows = failures.map((f) => [f.authId, f.subaccount, f.ip, f.count]);
    expect(rows).toHaveLength(3);
    expect(rows).toEqual(
      expect.arrayContaining([
        [owner.authId, false, '198.51.100.7', 3],
        [owner.authId, false, '203.0.113.9', 1],
        [sales.authId, true, '198.51.100.7', 1],
      ]),
    );
    for (const failure of failures) {
      expect(new Date(failure.firstAt).getTime()).toBeGreaterThanOrEqual(before);
      expect(new Date(failure.lastAt).getTime()).toBeGreaterThanOrEqual(new Date(failure.firstAt).getTime());
    }
    expect(JSON.stringify(answer.body)).not.toContain(guess);
  });

  it('adds later failures from the same address to the same count', async () => {
    const owner = await apiAccount(server);
    const wrong = { authId: owner.authId, authToken: guess };
    await v1(server, wrong, 'GET', `/Account/${owner.authId}/`, { ip: '192.0.2.44' });
    await server.system.requestLog.flush();
    await v1(server, wrong, 'GET', `/Account/${owner.authId}/`, { ip: '192.0.2.44' });
    await server.system.requestLog.flush();
    const failures = (await owner.client.get('/api/logs/api/failed-sign-ins')).body.failures as Failure[];
    expect(failures.map((f) => [f.ip, f.count])).toEqual([['192.0.2.44', 2]]);
  });

  it('never keeps the submitted token, and shows another account nothing', async () => {
    const owner = await apiAccount(server);
    const other = await apiAccount(server);
    await v1(server, { authId: owner.authId, authToken: guess }, 'GET', `/Account/${owner.authId}/`);
    await server.system.requestLog.flush();
    const stored = await server.system.database.db.selectFrom('api_auth_failures').selectAll().execute();
    expect(
      JSON.stringify(stored, (_key, value) => (typeof value === 'bigint' ? String(value) : value)),
    ).not.toContain(guess);
    expect((await other.client.get('/api/logs/api/failed-sign-ins')).body.failures).toEqual([]);
  });

  it('is for the Owner and Admin only: a Developer, who reads the request log, is refused', async () => {
    const owner = await apiAccount(server);
    const developer = await invitedMember(server, owner.client, 'developer');
    const admin = await invitedMember(server, owner.client, 'admin');
    expect((await developer.client.get('/api/logs/api')).status).toBe(200);
    expect((await developer.client.get('/api/logs/api/failed-sign-ins')).status).toBe(403);
    expect((await admin.client.get('/api/logs/api/failed-sign-ins')).status).toBe(200);
  });
});
