import { describe, expect, it } from 'vitest';
import { apiAccount, v1 } from '../support/api-account.js';
import { twoInstances } from '../support/server.js';

// Two Switchboard instances on one PostgreSQL database (and one Redis), as behind a load balancer.
const shared = process.env.TEST_TARGET === 'postgres';

describe.runIf(shared)('the API gate across two instances', () => {
  const instances = twoInstances();

  it('refuses a revoked token on the other instance once the invalidation message arrives', async () => {
    const account = await apiAccount(instances.first);
    expect((await v1(instances.second, account, 'GET', `/Account/${account.authId}/`)).status).toBe(200);
    let heard = () => {};
    const revoked = new Promise<void>((resolve) => {
      heard = resolve;
    });
    // Listening before the change: a notification sent before LISTEN took effect is never delivered.
    const unlisten = await instances.second.system.database.listen('sb_account_changed', (authId) => {
      if (authId === account.authId) heard();
    });
    const generated = await account.client.post('/api/credentials/tokens', { keepOldTokens: false });
    expect(generated.status).toBe(201);
    await revoked;
    await unlisten();
    await expect
      .poll(async () => (await v1(instances.second, account, 'GET', `/Account/${account.authId}/`)).status)
      .toBe(401);
    const fresh = { authId: account.authId, authToken: generated.body.authToken as string };
    expect((await v1(instances.second, fresh, 'GET', `/Account/${account.authId}/`)).status).toBe(200);
  });

  it('refuses a revoked API key on the other instance once the invalidation message arrives', async () => {
    const account = await apiAccount(instances.first);
    const created = await account.client.post('/api/credentials/api-keys', {
      name: 'Shared',
      fullAccess: true,
    });
    expect(created.status).toBe(201);
    const key = { authId: created.body.keyId as string, authToken: created.body.secret as string };
    const path = `/Account/${account.authId}/`;
    expect((await v1(instances.second, key, 'GET', path)).status).toBe(200);
    let heard = () => {};
    const revoked = new Promise<void>((resolve) => {
      heard = resolve;
    });
    const unlisten = await instances.second.system.database.listen('sb_account_changed', (authId) => {
      if (authId === account.authId) heard();
    });
    expect((await account.client.delete(`/api/credentials/api-keys/${key.authId}`)).status).toBe(204);
    await revoked;
    await unlisten();
    await expect.poll(async () => (await v1(instances.second, key, 'GET', path)).status).toBe(401);
  });

  it.runIf(Boolean(process.env.TEST_REDIS_URL))(
    'shares one rate limit between the instances through Redis',
    async () => {
      const account = await apiAccount(instances.first);
      instances.first.clock.freeze();
      instances.second.clock.freeze();
      try {
        const statuses: number[] = [];
        for (let i = 0; i < 20; i++)
          statuses.push(
            (
              await v1(
                i % 2 ? instances.first : instances.second,
                account,
                'GET',
                `/Account/${account.authId}/`,
              )
            ).status,
          );
        expect(statuses).toEqual(Array(20).fill(200));
        const refusedOnFirst = await v1(instances.first, account, 'GET', `/Account/${account.authId}/`);
        const refusedOnSecond = await v1(instances.second, account, 'GET', `/Account/${account.authId}/`);
        expect([refusedOnFirst.status, refusedOnSecond.status]).toEqual([429, 429]);
      } finally {
        instances.first.clock.unfreeze();
        instances.second.clock.unfreeze();
      }
    },
  );
});
