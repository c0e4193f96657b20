import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiKeyAction, apiKeyPermissions, apiKeyResources } from '../../src/http/permissions.js';
import { apiAccount, v1 } from '../support/api-account.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * The permission matrix of restricted API keys: every /v1 route the server serves names the
 * permission it needs (src/http/permissions.ts, apiKeyPermissions), a key without it is refused 403
 * with the permission named, and a key with only it passes the gate. A route the table does not
 * name refuses every key, full access included (fail closed).
 */
let server: TestServer;
let account: Awaited<ReturnType<typeof apiAccount>>;
let routes: { method: string; url: string }[];
const actor = { ip: 'test', userAgent: null };

/** Every permission there is, but `except`. */
function allBut(except: string): Record<string, string[]> {
  const grants: Record<string, string[]> = {};
  for (const [resource, actions] of Object.entries(apiKeyResources)) {
    const kept = (actions as readonly ApiKeyAction[]).filter((action) => `${resource}:${action}` !== except);
    if (kept.length > 0) grants[resource] = kept;
  }
  return grants;
}

async function keyWith(grants: Record<string, string[]> | 'full') {
  const key = await server.system.apiKeys.create(actor, account.accountId, {
    name: 'Matrix',
    fullAccess: grants === 'full',
    ...(grants === 'full' ? {} : { grants }),
  });
  return { authId: key.keyId, authToken: key.secret };
}

function call(credentials: { authId: string; authToken: string }, route: { method: string; url: string }) {
  const path = route.url
    .replace('/v1', '')
    .replace(':authId', account.authId)
    .replace(/:(\w+)/g, () => '1');
  return v1(server, credentials, route.method, path, route.method === 'POST' ? { body: {} } : {});
}

beforeAll(async () => {
  server = await startTestServer();
  account = await apiAccount(server);
  // Four requests a route: more than the standard 20 a second.
  await server.system.rateLimits.set(actor, account.accountId, { standard: 1000 });
  routes = server.app.routeList
    .filter((route) => route.url.startsWith('/v1/') && route.method !== 'HEAD')
    .map((route) => ({ method: String(route.method), url: route.url }));
});

afterAll(async () => {
  await server?.stop();
});

describe('the permission matrix of API keys', () => {
  it('names a permission for every /v1 route', () => {
    expect(routes.length).toBeGreaterThanOrEqual(30);
    const unnamed = routes.map((r) => `${r.method} ${r.url}`).filter((route) => !apiKeyPermissions[route]);
    expect(unnamed, 'add these routes to apiKeyPermissions in src/http/permissions.ts').toEqual([]);
  });

  it('refuses a key without the route’s permission, naming it, and admits one with only it', async () => {
    for (const route of routes) {
      const needed = apiKeyPermissions[`${route.method} ${route.url}`] as string;
      const [resource, action] = needed.split(':') as [string, string];
      const without = await call(await keyWith(allBut(needed)), route);
      expect(without.status, `${route.method} ${route.url} without ${needed}`).toBe(403);
      expect(without.body.error).toContain(`lacks the permission ${needed}`);
      const withIt = await call(await keyWith({ [resource]: [action] }), route);
      expect(
        [401, 403],
        `${route.method} ${route.url} with ${needed}: ${JSON.stringify(withIt.body)}`,
      ).not.toContain(withIt.status);
    }
  });

  it('lets a full-access key through every route, and refuses every key on a route the table does not name', async () => {
    const full = await keyWith('full');
    for (const route of routes) {
      const answer = await call(full, route);
      expect([401, 403], `${route.method} ${route.url}: ${JSON.stringify(answer.body)}`).not.toContain(
        answer.status,
      );
    }
    const pricing = 'GET /v1/Account/:authId/Pricing/';
    const permission = apiKeyPermissions[pricing];
    delete apiKeyPermissions[pricing];
    try {
      const refused = await call(full, { method: 'GET', url: '/v1/Account/:authId/Pricing/' });
      expect(refused.status).toBe(403);
      expect(refused.body.error).toContain('API keys cannot call GET /v1/Account/');
      // The Auth Token is not bound by the key table.
      expect((await call(account, { method: 'GET', url: '/v1/Account/:authId/Pricing/' })).status).not.toBe(
        403,
      );
    } finally {
      if (permission) apiKeyPermissions[pricing] = permission;
    }
  });
});
