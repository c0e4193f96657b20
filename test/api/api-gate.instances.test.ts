import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAccount, v1 } from '../support/api-account.js';
import { startTestServer, type TestServer } from '../support/server.js';

// Two Switchboard instances on one PostgreSQL database (and one Redis), as behind a load balancer.
const shared = process.env.TEST_TARGET === 'postgres';

describe.runIf(shared)('the API gate across two instances', () => {
  let first: TestServer;
  let second: TestServer;
  beforeAll(async () => {
    first = await startTestServer();
    second = await startTestServer({}, { sameDatabaseAs: first });
  });
  afterAll(async () => {
    await second?.stop();
    await first?.stop();
  });

  it('refuses a revoked token on the other instance once the invalidation message arrives', async () => {
    const account = await apiAccount(first);
    expect((await v1(second, account, 'GET', `/Account/${account.authId}/`)).status).toBe(200);
    const revoked = new Promise<void>((resolve) => {
      void second.system.database.listen('sb_account_changed', (authId) => {
        if (authId === account.authId) resolve();
      });
    });
    const generated = await account.client.post('/api/credentials/tokens', { keepOldTokens: false });
    expect(generated.status).toBe(201);
    await revoked;
    await expect
      .poll(async () => (await v1(second, account, 'GET', `/Account/${account.authId}/`)).status)
      .toBe(401);
    const fresh = { authId: account.authId, authToken: generated.body.authToken as string };
    expect((await v1(second, fresh, 'GET', `/Account/${account.authId}/`)).status).toBe(200);
  });

  it.runIf(Boolean(process.env.TEST_REDIS_URL))(
    'shares one rate limit between the instances through Redis',
    async () => {
      const account = await apiAccount(first);
      first.clock.freeze();
      second.clock.freeze();
      try {
        const statuses: number[] = [];
        for (let i = 0; i < 20; i++)
          statuses.push(
            (await v1(i % 2 ? first : second, account, 'GET', `/Account/${account.authId}/`)).status,
          );
        expect(statuses).toEqual(Array(20).fill(200));
        const refusedOnFirst = await v1(first, account, 'GET', `/Account/${account.authId}/`);
        const refusedOnSecond = await v1(second, account, 'GET', `/Account/${account.authId}/`);
        expect([refusedOnFirst.status, refusedOnSecond.status]).toEqual([429, 429]);
      } finally {
        first.clock.unfreeze();
        second.clock.unfreeze();
      }
    },
  );
});
