import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CredentialErrors } from '../../src/modules/credentials/errors.js';
import { IpWhitelistErrors } from '../../src/modules/ip-whitelist/errors.js';
import { apiAccount, v1 } from '../support/api-account.js';
import { setUpStaff, signInStaff } from '../support/journeys.js';
import { lastMessageTo } from '../support/outbox.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

describe('Auth Token regeneration (Account > Settings > Credentials)', () => {
  it('shows the Auth ID and the current Auth Token to the owner', async () => {
    const account = await apiAccount(server);
    const credentials = await account.client.get('/api/credentials');
    expect(credentials.status).toBe(200);
    expect(credentials.body.authId).toBe(account.authId);
    expect(credentials.body.authToken).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(credentials.body.tokens).toHaveLength(1);
  });

  it('keeps the old token working when the owner chooses to keep it, until it is revoked', async () => {
    const account = await apiAccount(server);
    const generated = await account.client.post('/api/credentials/tokens', { keepOldTokens: true });
    expect(generated.status).toBe(201);
    const fresh = generated.body.authToken as string;
    expect(
      (await v1(server, { authId: account.authId, authToken: fresh }, 'GET', `/Account/${account.authId}/`))
        .status,
    ).toBe(200);
    expect((await v1(server, account, 'GET', `/Account/${account.authId}/`)).status).toBe(200);
    const listed = await account.client.get('/api/credentials');
    expect(listed.body.tokens).toHaveLength(2);
    const old = listed.body.tokens.find((t: { id: string }) => t.id !== generated.body.id);
    expect((await account.client.delete(`/api/credentials/tokens/${old.id}`)).status).toBe(204);
    const refused = await v1(server, account, 'GET', `/Account/${account.authId}/`);
    expect(refused.status).toBe(401);
    expect(
      (await v1(server, { authId: account.authId, authToken: fresh }, 'GET', `/Account/${account.authId}/`))
        .status,
    ).toBe(200);
  });

  it('refuses the old token at once when the owner chooses to revoke it, and emails a security notice', async () => {
    const account = await apiAccount(server);
    expect((await v1(server, account, 'GET', `/Account/${account.authId}/`)).status).toBe(200);
    const generated = await account.client.post('/api/credentials/tokens', { keepOldTokens: false });
    expect(generated.status).toBe(201);
    await expect
      .poll(async () => (await v1(server, account, 'GET', `/Account/${account.authId}/`)).status)
      .toBe(401);
    const notice = await lastMessageTo(server, account.email);
    expect(notice.subject).toMatch(/Security notice/);
    expect(notice.text).toMatch(/previous token was revoked/);
    const events = await server.system.database.db
      .selectFrom('audit_events')
      .select('action')
      .where('account_id', '=', account.accountId)
      .where('action', '=', 'credentials.token_generated')
      .execute();
    expect(events).toHaveLength(1);
  });

  it('refuses to revoke the only live token', async () => {
    const account = await apiAccount(server);
    const listed = await account.client.get('/api/credentials');
    const response = await account.client.delete(`/api/credentials/tokens/${listed.body.tokens[0].id}`);
    expect(response.status).toBe(409);
    expect(response.body.code).toBe(CredentialErrors.lastToken().code);
  });

  it('adds a CIDR asked for twice at once exactly once: the other request is told it is listed', async () => {
    const account = await apiAccount(server);
    const answers = await Promise.all(
      [1, 2, 3].map(() => account.client.post('/api/ip-whitelist', { cidr: '10.0.0.1' })),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 409, 409]);
    const listed = await account.client.get('/api/ip-whitelist');
    expect(listed.body.entries.map((entry: { cidr: string }) => entry.cidr)).toEqual(['10.0.0.1/32']);
  });

  it('asks for a recent sign-in before generating a token', async () => {
    const account = await apiAccount(server);
    server.clock.advanceMinutes(11);
    try {
      const response = await account.client.post('/api/credentials/tokens', { keepOldTokens: true });
      expect(response.status).toBe(403);
      expect(response.body.code).toBe('reauthentication_required');
    } finally {
      server.clock.advanceMinutes(-11);
    }
  });
});

describe('IP whitelisting', () => {
  it('refuses and audits requests from outside the list once enabled, for IPv4 and IPv6', async () => {
    const account = await apiAccount(server);
    for (const cidr of ['192.0.2.0/24', '2001:db8::/32', `${account.client.ip}/32`]) {
      expect((await account.client.post('/api/ip-whitelist', { cidr })).status).toBe(201);
    }
    expect(
      (await v1(server, account, 'GET', `/Account/${account.authId}/`, { ip: '203.0.113.5' })).status,
    ).toBe(200);
    const enabled = await account.client.put('/api/ip-whitelist/enabled', { enabled: true });
    expect(enabled.status, JSON.stringify(enabled.body)).toBe(204);
    const outside4 = await v1(server, account, 'GET', `/Account/${account.authId}/`, { ip: '203.0.113.5' });
    expect(outside4.status).toBe(403);
    expect(outside4.body.error).toMatch(/203\.0\.113\.5.*IP Whitelisting/);
    expect(
      (await v1(server, account, 'GET', `/Account/${account.authId}/`, { ip: '2001:db9::1' })).status,
    ).toBe(403);
    expect(
      (await v1(server, account, 'GET', `/Account/${account.authId}/`, { ip: '192.0.2.77' })).status,
    ).toBe(200);
    expect(
      (await v1(server, account, 'GET', `/Account/${account.authId}/`, { ip: '2001:db8:1::9' })).status,
    ).toBe(200);
    const audited = await server.system.database.db
      .selectFrom('audit_events')
      .select(['ip', 'action'])
      .where('account_id', '=', account.accountId)
      .where('action', '=', 'api.refused_ip_not_whitelisted')
      .execute();
    expect(audited.map((a) => a.ip).sort()).toEqual(['2001:db9::1', '203.0.113.5']);
    expect((await account.client.put('/api/ip-whitelist/enabled', { enabled: false })).status).toBe(204);
    expect(
      (await v1(server, account, 'GET', `/Account/${account.authId}/`, { ip: '203.0.113.5' })).status,
    ).toBe(200);
  });

  it('asks before removing the address that covers the person’s own, and keeps the last address while enforced', async () => {
    const account = await apiAccount(server);
    const own = await account.client.post('/api/ip-whitelist', { cidr: `${account.client.ip}/32` });
    const other = await account.client.post('/api/ip-whitelist', { cidr: '192.0.2.0/24' });
    expect((await account.client.put('/api/ip-whitelist/enabled', { enabled: true })).status).toBe(204);
    const warned = await account.client.delete(`/api/ip-whitelist/${own.body.id}`);
    expect(warned.body.code).toBe(IpWhitelistErrors.removalLocksOut('', '').code);
    expect((await account.client.delete(`/api/ip-whitelist/${own.body.id}?confirmLockout=true`)).status).toBe(
      204,
    );
    const last = await account.client.delete(`/api/ip-whitelist/${other.body.id}`);
    expect(last.body.code).toBe(IpWhitelistErrors.wouldBeEmpty().code);
    expect((await account.client.get('/api/ip-whitelist')).body.entries).toHaveLength(1);
  });

  it('validates CIDR addresses and writes them in network form', async () => {
    const account = await apiAccount(server);
    const bad = await account.client.post('/api/ip-whitelist', { cidr: '300.1.1.1/24' });
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toMatch(/192\.0\.2\.0\/24/);
    const normalised = await account.client.post('/api/ip-whitelist', { cidr: '198.51.100.9/24' });
    expect(normalised.body.cidr).toBe('198.51.100.0/24');
  });

  it('warns before enabling a list that would lock out the person’s own address', async () => {
    const account = await apiAccount(server);
    await account.client.post('/api/ip-whitelist', { cidr: '192.0.2.0/24' });
    const warned = await account.client.put('/api/ip-whitelist/enabled', { enabled: true });
    expect(warned.status).toBe(409);
    expect(warned.body.code).toBe(IpWhitelistErrors.enablingLocksOut('').code);
    expect((await account.client.get('/api/ip-whitelist')).body.enabled).toBe(false);
    expect(
      (await account.client.put('/api/ip-whitelist/enabled', { enabled: true, confirmLockout: true })).status,
    ).toBe(204);
    expect((await account.client.get('/api/ip-whitelist')).body.enabled).toBe(true);
  });
});

describe('rate limits', () => {
  it('answers the 21st request in one second with 429, Retry-After and X-RateLimit headers', async () => {
    const account = await apiAccount(server);
    server.clock.freeze();
    try {
      const answers = [];
      for (let i = 0; i < 21; i++)
        answers.push(await v1(server, account, 'GET', `/Account/${account.authId}/`));
      expect(answers.slice(0, 20).map((a) => a.status)).toEqual(Array(20).fill(200));
      expect(answers[0]?.headers.get('x-ratelimit-limit')).toBe('20');
      expect(answers[0]?.headers.get('x-ratelimit-remaining')).toBe('19');
      const refused = answers[20];
      expect(refused?.status).toBe(429);
      expect(refused?.headers.get('retry-after')).toBe('1');
      expect(refused?.headers.get('x-ratelimit-remaining')).toBe('0');
      expect(refused?.headers.get('x-ratelimit-reset')).toBe('1');
      expect(refused?.body.error).toMatch(/20 standard API requests per second/);
      server.clock.advanceMinutes(1 / 60);
      expect((await v1(server, account, 'GET', `/Account/${account.authId}/`)).status).toBe(200);
    } finally {
      server.clock.unfreeze();
    }
  });

  it('counts the Lookup API in its own class', async () => {
    const account = await apiAccount(server);
    server.clock.freeze();
    try {
      for (let i = 0; i < 20; i++) await v1(server, account, 'GET', `/Account/${account.authId}/`);
      const lookup = await v1(server, account, 'GET', '/Number/+14154305555?type=carrier');
      expect(lookup.status).toBe(200);
      expect(lookup.headers.get('x-ratelimit-remaining')).toBe('19');
    } finally {
      server.clock.unfreeze();
    }
  });

  it('refuses a limit of 0 instead of treating it as the default', async () => {
    const account = await apiAccount(server);
    await expect(
      server.system.rateLimits.set({ ip: '127.0.0.1', userAgent: null }, account.accountId, { standard: 0 }),
    ).rejects.toMatchObject({ status: 400, code: 'invalid_rate_limit' });
    const limits = await server.system.rateLimits.forAccount(account.accountId);
    expect(limits.standard).toEqual({ requestsPerSecond: 20, isDefault: true, defaultRequestsPerSecond: 20 });
  });

  it('applies a higher limit set by staff at once', async () => {
    const account = await apiAccount(server);
    await server.system.rateLimits.set({ ip: '127.0.0.1', userAgent: null }, account.accountId, {
      standard: 50,
    });
    await expect
      .poll(async () =>
        (await v1(server, account, 'GET', `/Account/${account.authId}/`)).headers.get('x-ratelimit-limit'),
      )
      .toBe('50');
  });
});

describe('HTTP Basic auth', () => {
  it('takes the scheme name in any case, as RFC 7235 says, and still refuses other schemes', async () => {
    const account = await apiAccount(server);
    const encoded = Buffer.from(`${account.authId}:${account.authToken}`).toString('base64');
    for (const scheme of ['basic', 'BASIC', 'bAsIc']) {
      const response = await fetch(`${server.url}/v1/Account/${account.authId}/`, {
        headers: { authorization: `${scheme} ${encoded}` },
      });
      expect(response.status, scheme).toBe(200);
      expect(((await response.json()) as { auth_id: string }).auth_id).toBe(account.authId);
    }
    const bearer = await fetch(`${server.url}/v1/Account/${account.authId}/`, {
      headers: { authorization: `Bearer ${encoded}` },
    });
    expect(bearer.status).toBe(401);
    expect(bearer.headers.get('www-authenticate')).toMatch(/^Basic /);
  });
});

describe('account state', () => {
  it('refuses a suspended account with 403 saying why and to contact support', async () => {
    const account = await apiAccount(server);
    expect((await v1(server, account, 'GET', `/Account/${account.authId}/`)).status).toBe(200);
    await server.system.accounts.lifecycle.transition({ ip: 'test', userAgent: null }, account.accountId, {
      to: 'suspended',
      by: 'staff',
      reason: 'Unpaid invoices.',
    });
    await expect
      .poll(async () => (await v1(server, account, 'GET', `/Account/${account.authId}/`)).status)
      .toBe(403);
    const refused = await v1(server, account, 'GET', `/Account/${account.authId}/`);
    expect(refused.body.error).toMatch(/suspended.*contact support/);
  });
});

describe('Logs > API', () => {
  it('lists the account’s requests with method, path, status, address and duration, filtered by status', async () => {
    const account = await apiAccount(server);
    const answered = await v1(server, account, 'GET', `/Account/${account.authId}/`);
    const refused = await v1(server, account, 'GET', '/Number/+1555?type=carrier');
    await server.system.requestLog.flush();
    const all = await account.client.get('/api/logs/api');
    expect(all.status).toBe(200);
    expect(all.body.total).toBe(2);
    expect(all.body.requests[0]).toMatchObject({
      apiId: refused.body.api_id,
      method: 'GET',
      path: '/v1/Number/+1555',
      status: 400,
      ip: '127.0.0.1',
    });
    expect(all.body.requests[1]).toMatchObject({ apiId: answered.body.api_id, status: 200 });
    const errors = await account.client.get('/api/logs/api?status=4xx');
    expect(errors.body.requests.map((r: { status: number }) => r.status)).toEqual([400]);
    const byPath = await account.client.get('/api/logs/api?path=Account');
    expect(byPath.body.total).toBe(1);
    const credentials = await account.client.get('/api/credentials');
    expect(credentials.body.tokens[0].lastUsedAt).not.toBeNull();
  });

  it('pages through requests written in several flushes, newest first, and filters them by time', async () => {
    const account = await apiAccount(server);
    const paths = (response: { body: { requests: { path: string }[] } }) =>
      response.body.requests.map((r) => r.path);
    await v1(server, account, 'GET', '/Number/+14155550101?type=carrier');
    await v1(server, account, 'GET', '/Number/+14155550102?type=carrier');
    await server.system.requestLog.flush();
    server.clock.advanceMinutes(1);
    const between = new Date(server.clock.now().getTime() - 30_000).toISOString();
    await v1(server, account, 'GET', `/Account/${account.authId}/`);
    await v1(server, account, 'GET', '/Number/+14155550103?type=carrier');
    await server.system.requestLog.flush();

    const page = await account.client.get('/api/logs/api?limit=2&offset=1');
    expect(page.body.total).toBe(4);
    expect(paths(page)).toEqual([`/v1/Account/${account.authId}/`, '/v1/Number/+14155550102']);
    const recent = await account.client.get(`/api/logs/api?from=${encodeURIComponent(between)}`);
    expect(paths(recent)).toEqual(['/v1/Number/+14155550103', `/v1/Account/${account.authId}/`]);
    const earlier = await account.client.get(`/api/logs/api?to=${encodeURIComponent(between)}`);
    expect(earlier.body.total).toBe(2);
    expect(paths(earlier)).toEqual(['/v1/Number/+14155550102', '/v1/Number/+14155550101']);
  });
});

describe('Logs > API without a From date', () => {
  it('shows the last 24 hours, and older requests when From reaches back to them', async () => {
    const account = await apiAccount(server);
    const now = server.clock.now().getTime();
    const logged = (path: string, hoursAgo: number) =>
      server.system.requestLog.record({
        accountId: account.accountId,
        apiId: crypto.randomUUID(),
        method: 'GET',
        path,
        status: 200,
        ip: '192.0.2.7',
        durationMs: 2,
        at: new Date(now - hoursAgo * 3_600_000),
        tokenId: null,
        keyId: null,
      });
    logged('/v1/two-days-ago', 48);
    await server.system.requestLog.flush();
    logged('/v1/an-hour-ago', 1);
    await server.system.requestLog.flush();

    const recent = await account.client.get('/api/logs/api');
    expect(recent.body.requests.map((r: { path: string }) => r.path)).toEqual(['/v1/an-hour-ago']);
    const windowStart = new Date(recent.body.from).getTime() - (now - 24 * 3_600_000);
    expect(windowStart).toBeGreaterThanOrEqual(0);
    expect(windowStart).toBeLessThan(60_000);
    const from = new Date(now - 72 * 3_600_000).toISOString();
    const all = await account.client.get(`/api/logs/api?from=${encodeURIComponent(from)}`);
    expect(all.body.requests.map((r: { path: string }) => r.path)).toEqual([
      '/v1/an-hour-ago',
      '/v1/two-days-ago',
    ]);
  });
});

describe('secrets in logs', () => {
  it('never writes an issued Auth Token to the log', async () => {
    const account = await apiAccount(server);
    const generated = await account.client.post('/api/credentials/tokens', { keepOldTokens: true });
    await v1(server, account, 'GET', `/Account/${account.authId}/`);
    await v1(
      server,
      { authId: account.authId, authToken: generated.body.authToken },
      'GET',
      `/Account/${account.authId}/`,
    );
    const log = server.logLines.join('\n');
    expect(log).toContain('/api/credentials/tokens');
    expect(log).not.toContain(account.authToken);
    expect(log).not.toContain(generated.body.authToken);
  });
});

describe('staff rate limits over HTTP', () => {
  it('sets a limit, returns a class to the default with null, and refuses 0', async () => {
    const account = await apiAccount(server);
    const staff = await setUpStaff(server);
    const client = await signInStaff(server, staff);
    const path = `/api/staff/accounts/${account.accountId}/rate-limits`;
    expect(
      (await client.put(path, { standard: 40, reason: 'Enterprise plan' })).body.limits.standard,
    ).toMatchObject({
      requestsPerSecond: 40,
      isDefault: false,
    });
    expect(
      (await client.put(path, { standard: null, reason: 'Plan ended' })).body.limits.standard,
    ).toMatchObject({
      requestsPerSecond: 20,
      isDefault: true,
    });
    const zero = await client.put(path, { standard: 0, reason: 'Test' });
    expect(zero.status).toBe(400);
    expect(zero.body.code).toBe('invalid_rate_limit');
  });
});
