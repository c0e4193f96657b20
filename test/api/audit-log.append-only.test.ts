import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAccount, v1 } from '../support/api-account.js';
import type { ConsoleClient } from '../support/browser-client.js';
import { setUpStaff, signInStaff } from '../support/journeys.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * "Events are append-only; no route can change or delete one": every registered route of every
 * door is called, as the caller its door expects (the owner's console session, a staff session,
 * the account's API credentials, an engine key), on the account's own resources; afterwards every
 * audit event recorded before is still there, unchanged. (Routes with a body are also called with
 * valid bodies by mass-assignment.every-route.test.ts, which checks the same; the database refuses
 * UPDATE and DELETE of audit events outside a retention purge, audit-log.test.ts.)
 */

let server: TestServer;
let owner: Awaited<ReturnType<typeof apiAccount>>;
let staff: ConsoleClient;
let engineKey: string;
let params: Record<string, string>;

beforeAll(async () => {
  server = await startTestServer();
  owner = await apiAccount(server);
  const sub = await v1(server, owner, 'POST', `/Account/${owner.authId}/Subaccount/`, {
    body: { name: 'Branch', enabled: true },
  });
  const app = await v1(server, owner, 'POST', `/Account/${owner.authId}/Application/`, {
    body: { app_name: 'IVR' },
  });
  staff = await signInStaff(server, await setUpStaff(server, 'staff_admin'));
  engineKey = (await server.system.engines.create({ ip: 'test', userAgent: null }, 'append-only')).key;
  params = {
    accountId: owner.accountId,
    subauthId: sub.body.auth_id,
    appId: app.body.app_id,
    userId: owner.accountId,
  };
}, 120_000);
afterAll(() => server.stop());

const trail = () => server.system.database.db.selectFrom('audit_events').selectAll().orderBy('id').execute();

async function call(method: string, url: string) {
  const path = url.replace(/:(\w+)/g, (_match, name: string) =>
    name === 'authId' ? owner.authId : (params[name] ?? randomUUID()),
  );
  const headers: Record<string, string> = {};
  const body = method === 'GET' || method === 'DELETE' ? undefined : '{}';
  if (body) headers['content-type'] = 'application/json';
  if (url.startsWith('/v1/')) {
    headers.authorization = `Basic ${Buffer.from(`${owner.authId}:${owner.authToken}`).toString('base64')}`;
  } else if (url.startsWith('/api/engine/')) {
    headers.authorization = `Bearer ${engineKey}`;
  } else {
    const client = url.startsWith('/api/staff') ? staff : owner.client;
    headers.cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    headers['x-csrf-token'] = client.csrfToken;
    headers['x-forwarded-for'] = client.ip;
  }
  const response = await fetch(`${server.url}${path}`, { method, headers, body, redirect: 'manual' });
  await response.arrayBuffer();
  return response.status;
}

describe('audit events are append-only', () => {
  it('stay unchanged, every one, after every route of every door was called', async () => {
    const before = await trail();
    expect(before.length).toBeGreaterThan(5);
    // Signing out last: the sessions must last the walk.
    const signsOut = (route: { method: string; url: string }) =>
      route.method === 'DELETE' && route.url.endsWith('/session');
    const routes = server.app.routeList
      .filter((route) => route.url.startsWith('/api/') || route.url.startsWith('/v1/'))
      .sort((a, b) => Number(signsOut(a)) - Number(signsOut(b)));
    expect(routes.length).toBeGreaterThan(100);
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    for (const route of routes) {
      server.clock.advanceMinutes(1 / 60);
      const status = await call(route.method, route.url);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      if (status >= 500) failures.push(`${route.method} ${route.url} answered ${status}`);
    }
    expect(failures).toEqual([]);
    // The callers stayed signed in: most routes were reached, not refused at the door.
    expect((statuses.get(401) ?? 0) + (statuses.get(403) ?? 0)).toBeLessThan(routes.length / 4);
    expect((await trail()).slice(0, before.length)).toEqual(before);
  }, 300_000);
});
