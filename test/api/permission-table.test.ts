import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { permissions } from '../../src/http/permissions.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

describe('the permission table', () => {
  it('has an entry for every console and staff API route (a new route without one fails here)', () => {
    const apiRoutes = server.app.routeList.filter((route) => route.url.startsWith('/api/'));
    expect(apiRoutes.length).toBeGreaterThan(30);
    const missing = apiRoutes.map((r) => `${r.method} ${r.url}`).filter((key) => !(key in permissions));
    expect(missing).toEqual([]);
  });

  it('names no route that does not exist', () => {
    const served = new Set(server.app.routeList.map((r) => `${r.method} ${r.url}`));
    expect(Object.keys(permissions).filter((key) => !served.has(key))).toEqual([]);
  });
});
