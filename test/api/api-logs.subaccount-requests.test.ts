import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAccount, v1 } from '../support/api-account.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

type Logged = { path: string; subaccount: string | null };
const logged = (response: { body: { requests: Logged[] } }) =>
  response.body.requests.map((request) => [request.path, request.subaccount]);

describe('Logs > API and subaccounts', () => {
  it('shows the main account the requests its subaccounts make with their own credentials, naming each, filterable by subaccount', async () => {
    const owner = await apiAccount(server);
    const sales = (await owner.client.post('/api/subaccounts', { name: 'Sales' })).body;
    const support = (await owner.client.post('/api/subaccounts', { name: 'Support' })).body;
    await v1(server, owner, 'GET', `/Account/${owner.authId}/`);
    server.clock.advanceMinutes(1);
    await v1(server, sales, 'GET', `/Account/${sales.authId}/`);
    server.clock.advanceMinutes(1);
    await v1(server, support, 'GET', `/Account/${support.authId}/`);
    await server.system.requestLog.flush();

    const all = await owner.client.get('/api/logs/api');
    expect(all.status).toBe(200);
    expect(logged(all)).toEqual([
      [`/v1/Account/${support.authId}/`, support.authId],
      [`/v1/Account/${sales.authId}/`, sales.authId],
      [`/v1/Account/${owner.authId}/`, null],
    ]);
    expect(logged(await owner.client.get(`/api/logs/api?subaccount=${sales.authId}`))).toEqual([
      [`/v1/Account/${sales.authId}/`, sales.authId],
    ]);
    expect(logged(await owner.client.get(`/api/logs/api?subaccount=${owner.authId}`))).toEqual([
      [`/v1/Account/${owner.authId}/`, null],
    ]);
  });

  it('never shows another account its subaccounts’ requests, even when it names the subaccount', async () => {
    const owner = await apiAccount(server);
    const other = await apiAccount(server);
    const sales = (await owner.client.post('/api/subaccounts', { name: 'Sales' })).body;
    await v1(server, sales, 'GET', `/Account/${sales.authId}/`);
    await server.system.requestLog.flush();
    expect((await other.client.get('/api/logs/api')).body.total).toBe(0);
    expect((await other.client.get(`/api/logs/api?subaccount=${sales.authId}`)).body.total).toBe(0);
  });
});
