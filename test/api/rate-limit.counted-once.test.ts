import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAccount, v1 } from '../support/api-account.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * A request is counted once, against the account whose credentials make it: probing unknown routes
 * must not cost double, and probing another account's paths must not be free.
 */
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

describe('what a request costs against the rate limit', () => {
  it('counts a request to an unknown /v1 route once', async () => {
    const account = await apiAccount(server);
    server.clock.freeze();
    try {
      const unknown = [];
      for (let i = 0; i < 10; i++) unknown.push(await v1(server, account, 'GET', '/NoSuchResource/'));
      expect(unknown.map((a) => a.status)).toEqual(Array(10).fill(404));
      expect(unknown.map((a) => a.headers.get('x-ratelimit-remaining'))).toEqual(
        Array.from({ length: 10 }, (_, i) => String(19 - i)),
      );
      const own = await v1(server, account, 'GET', `/Account/${account.authId}/`);
      expect(own.status).toBe(200);
      expect(own.headers.get('x-ratelimit-remaining')).toBe('9');
    } finally {
      server.clock.unfreeze();
    }
  });

  it("counts requests to another account's paths against the caller", async () => {
    const caller = await apiAccount(server);
    const other = await apiAccount(server);
    server.clock.freeze();
    try {
      const probes = [];
      for (let i = 0; i < 20; i++) probes.push(await v1(server, caller, 'GET', `/Account/${other.authId}/`));
      expect(probes.map((a) => a.status)).toEqual(Array(20).fill(404));
      const refused = await v1(server, caller, 'GET', `/Account/${caller.authId}/`);
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toBe('1');
      // The other account's budget is untouched.
      const untouched = await v1(server, other, 'GET', `/Account/${other.authId}/`);
      expect(untouched.status).toBe(200);
      expect(untouched.headers.get('x-ratelimit-remaining')).toBe('19');
    } finally {
      server.clock.unfreeze();
    }
  });
});
