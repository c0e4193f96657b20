import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAccount, v1 } from '../support/api-account.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

describe('the Subaccounts page', () => {
  it('creates a subaccount whose own credentials call the API', async () => {
    const owner = await apiAccount(server);
    const created = await owner.client.post('/api/subaccounts', { name: 'Acme EU' });
    expect(created.status).toBe(201);
    expect(created.body.authId).toMatch(/^SA/);
    const listed = await owner.client.get('/api/subaccounts');
    expect(listed.body.subaccounts).toEqual([
      expect.objectContaining({ name: 'Acme EU', enabled: true, authId: created.body.authId }),
    ]);
    expect((await v1(server, created.body, 'GET', `/Account/${created.body.authId}/`)).status).toBe(200);
    expect(
      (await owner.client.patch(`/api/subaccounts/${created.body.authId}`, { enabled: false })).status,
    ).toBe(204);
    expect((await v1(server, created.body, 'GET', `/Account/${created.body.authId}/`)).status).toBe(403);
  });

  it('refuses to delete a subaccount that still holds an application, naming it, then deletes it once released', async () => {
    const owner = await apiAccount(server);
    const created = await owner.client.post('/api/subaccounts', { name: 'Acme US' });
    const app = await owner.client.post('/api/applications', {
      app_name: 'US IVR',
      subaccount: created.body.authId,
    });
    expect(app.status).toBe(201);
    const refused = await owner.client.delete(`/api/subaccounts/${created.body.authId}`);
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toMatch(/application US IVR/);
    expect((await owner.client.get('/api/subaccounts')).body.total).toBe(1);
    expect((await owner.client.delete(`/api/applications/${app.body.appId}`)).status).toBe(204);
    expect((await owner.client.delete(`/api/subaccounts/${created.body.authId}`)).status).toBe(204);
    expect((await owner.client.get('/api/subaccounts')).body.total).toBe(0);
    expect((await v1(server, created.body, 'GET', `/Account/${created.body.authId}/`)).status).toBe(401);
  });

  it('regenerates a subaccount’s token under the same rules as the main account’s', async () => {
    const owner = await apiAccount(server);
    const created = await owner.client.post('/api/subaccounts', { name: 'Acme APAC' });
    const fresh = await owner.client.post(`/api/subaccounts/${created.body.authId}/tokens`, {
      keepOldTokens: false,
    });
    expect(fresh.status).toBe(201);
    expect((await v1(server, created.body, 'GET', `/Account/${created.body.authId}/`)).status).toBe(401);
    expect(
      (
        await v1(
          server,
          { authId: created.body.authId, authToken: fresh.body.authToken },
          'GET',
          `/Account/${created.body.authId}/`,
        )
      ).status,
    ).toBe(200);
  });

  it('manages endpoints from the console, linking an application', async () => {
    const owner = await apiAccount(server);
    const app = await owner.client.post('/api/applications', {
      app_name: 'Desk phones',
      answer_url: 'https://acme-telecom.com/answer',
    });
    const endpoint = await owner.client.post('/api/endpoints', {
      username: 'desk',
      password: 'Sip-Phone-Secret-93',
      alias: 'Desk',
      appId: app.body.appId,
    });
    expect(endpoint.status).toBe(201);
    const listed = await owner.client.get('/api/endpoints');
    expect(listed.body.endpoints).toEqual([
      expect.objectContaining({ alias: 'Desk', appId: app.body.appId, subaccount: null }),
    ]);
    expect(
      (await owner.client.patch(`/api/endpoints/${endpoint.body.endpointId}`, { appId: null })).status,
    ).toBe(204);
    expect((await owner.client.get('/api/endpoints')).body.endpoints[0].appId).toBeNull();
    const sub = await owner.client.post('/api/subaccounts', { name: 'Branch' });
    const branchEndpoint = await owner.client.post('/api/endpoints', {
      username: 'branch',
      password: 'Sip-Phone-Secret-93',
      alias: 'Branch',
      subaccount: sub.body.authId,
    });
    expect(branchEndpoint.status).toBe(201);
    const listed2 = await owner.client.get('/api/endpoints');
    expect(listed2.body.endpoints.find((e: { alias: string }) => e.alias === 'Branch').subaccount).toBe(
      sub.body.authId,
    );
  });

  it('keeps a list of whitelisted sender IDs per subaccount', async () => {
    const owner = await apiAccount(server);
    const first = await owner.client.post('/api/subaccounts', { name: 'First' });
    const second = await owner.client.post('/api/subaccounts', { name: 'Second' });
    const added = await owner.client.post(`/api/subaccounts/${first.body.authId}/sender-ids`, {
      senderId: 'ACME',
    });
    expect(added.status).toBe(201);
    expect(
      (
        await owner.client.post(`/api/subaccounts/${first.body.authId}/sender-ids`, {
          senderId: '+1 415 555 2671',
        })
      ).body.senderId,
    ).toBe('+14155552671');
    expect(
      (await owner.client.post(`/api/subaccounts/${first.body.authId}/sender-ids`, { senderId: 'ACME' }))
        .status,
    ).toBe(409);
    const bad = await owner.client.post(`/api/subaccounts/${first.body.authId}/sender-ids`, {
      senderId: 'A!',
    });
    expect(bad.status).toBe(400);
    expect(
      (await owner.client.get(`/api/subaccounts/${first.body.authId}/sender-ids`)).body.senderIds.map(
        (s: { senderId: string }) => s.senderId,
      ),
    ).toEqual(['ACME', '+14155552671']);
    expect(
      (await owner.client.get(`/api/subaccounts/${second.body.authId}/sender-ids`)).body.senderIds,
    ).toEqual([]);
    expect(
      (await owner.client.delete(`/api/subaccounts/${second.body.authId}/sender-ids/${added.body.id}`))
        .status,
    ).toBe(404);
    expect(
      (await owner.client.delete(`/api/subaccounts/${first.body.authId}/sender-ids/${added.body.id}`)).status,
    ).toBe(204);
  });
});
