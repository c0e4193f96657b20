import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAccount, v1 } from '../support/api-account.js';
import { startTestServer, type TestServer, twoInstances } from '../support/server.js';

/**
 * A client that spends its 20 requests at the end of one second and 20 more at the start of the
 * next got 40 through in half a second from fixed one-second windows. "20 requests per second"
 * holds for every one-second interval, wherever it starts.
 */
type Account = Awaited<ReturnType<typeof apiAccount>>;

/** Requests at `count` moments `stepMs` apart from `fromMs` after the frozen start; answers their statuses. */
async function requestsAt(
  servers: TestServer[],
  account: Account,
  fromMs: number,
  stepMs: number,
  count: number,
  elapsed: { ms: number },
) {
  const statuses: number[] = [];
  for (let i = 0; i < count; i++) {
    const at = fromMs + i * stepMs;
    for (const server of servers) server.clock.advanceMilliseconds(at - elapsed.ms);
    elapsed.ms = at;
    const server = servers[i % servers.length] as TestServer;
    statuses.push((await v1(server, account, 'GET', `/Account/${account.authId}/`)).status);
  }
  return statuses;
}

describe('the rate limit on one instance', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.stop());

  it('admits no more than 20 requests in any one-second interval, across a second boundary too', async () => {
    const account = await apiAccount(server);
    const elapsed = { ms: 0 };
    server.clock.freeze();
    try {
      // 20 requests from 0.50 s to 0.975 s: all admitted.
      const late = await requestsAt([server], account, 500, 25, 20, elapsed);
      expect(late).toEqual(Array(20).fill(200));
      // From 1.00 s to 1.45 s the interval [0.5 s, 1.5 s) already holds 20: all refused.
      const early = await requestsAt([server], account, 1000, 50, 10, elapsed);
      expect(early).toEqual(Array(10).fill(429));
      server.clock.advanceMilliseconds(1450 - elapsed.ms);
      elapsed.ms = 1450;
      const refused = await v1(server, account, 'GET', `/Account/${account.authId}/`);
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toBe('1');
      expect(refused.headers.get('x-ratelimit-remaining')).toBe('0');
      expect(refused.headers.get('x-ratelimit-reset')).toBe('1');
      // At 1.50 s the request of 0.50 s has left the window: one more is admitted, then refused again.
      const afterFirstLeft = await requestsAt([server], account, 1500, 0, 2, elapsed);
      expect(afterFirstLeft).toEqual([200, 429]);
      // A second after the last admission the whole budget is back.
      const nextSecond = await requestsAt([server], account, 2500, 1, 20, elapsed);
      expect(nextSecond).toEqual(Array(20).fill(200));
    } finally {
      server.clock.unfreeze();
      server.clock.advanceMilliseconds(-elapsed.ms);
    }
  });

  it('counts down X-RateLimit-Remaining and counts a request again once it is a second old', async () => {
    const account = await apiAccount(server);
    const elapsed = { ms: 0 };
    server.clock.freeze();
    try {
      const first = await v1(server, account, 'GET', `/Account/${account.authId}/`);
      expect(first.headers.get('x-ratelimit-remaining')).toBe('19');
      server.clock.advanceMilliseconds(600);
      elapsed.ms = 600;
      const second = await v1(server, account, 'GET', `/Account/${account.authId}/`);
      expect(second.headers.get('x-ratelimit-remaining')).toBe('18');
      server.clock.advanceMilliseconds(400);
      elapsed.ms = 1000;
      const third = await v1(server, account, 'GET', `/Account/${account.authId}/`);
      expect(third.headers.get('x-ratelimit-remaining')).toBe('18');
    } finally {
      server.clock.unfreeze();
      server.clock.advanceMilliseconds(-elapsed.ms);
    }
  });
});

// Two instances share a limit only through Redis, and share a database only on PostgreSQL.
const sharedRedis = process.env.TEST_TARGET === 'postgres' && Boolean(process.env.TEST_REDIS_URL);
if (!sharedRedis) {
  console.warn(
    'rate-limit.sliding-window: the two-instance case is skipped; it needs PostgreSQL (TEST_DATABASE_URL) and Redis (TEST_REDIS_URL).',
  );
}

describe.runIf(sharedRedis)('the rate limit across two instances on Redis', () => {
  const instances = twoInstances();

  it('admits no more than 20 requests in any one-instances.second interval between them', async () => {
    const account = await apiAccount(instances.first);
    const servers = [instances.first, instances.second];
    const elapsed = { ms: 0 };
    const start = (Math.floor(Date.now() / 1000) + 1) * 1000;
    for (const server of servers) server.clock.freeze(start);
    try {
      const late = await requestsAt(servers, account, 500, 25, 20, elapsed);
      expect(late).toEqual(Array(20).fill(200));
      const early = await requestsAt(servers, account, 1000, 50, 10, elapsed);
      expect(early).toEqual(Array(10).fill(429));
      const afterFirstLeft = await requestsAt(servers, account, 1500, 0, 2, elapsed);
      expect(afterFirstLeft).toEqual([200, 429]);
      const nextSecond = await requestsAt(servers, account, 2500, 1, 20, elapsed);
      expect(nextSecond).toEqual(Array(20).fill(200));
    } finally {
      for (const server of servers) {
        server.clock.unfreeze();
        server.clock.advanceMilliseconds(-elapsed.ms);
      }
    }
  });
});
