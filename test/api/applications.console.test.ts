import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApplicationErrors } from '../../src/modules/applications/errors.js';
import { EndpointErrors } from '../../src/modules/endpoints/errors.js';
import { apiAccount, v1 } from '../support/api-account.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

type Owner = Awaited<ReturnType<typeof apiAccount>>;
const applicationsOf = async (owner: Owner) =>
  (await owner.client.get('/api/applications')).body.applications;

describe('the Applications page', () => {
  it('changes an application’s URLs, methods and name, and moves it into a subaccount', async () => {
    const owner = await apiAccount(server);
    const branch = await owner.client.post('/api/subaccounts', { name: 'Branch' });
    const created = await owner.client.post('/api/applications', {
      app_name: 'IVR',
      answer_url: 'https://acme-telecom.com/answer',
    });
    const changed = await owner.client.patch(`/api/applications/${created.body.appId}`, {
      app_name: 'Front desk',
      answer_url: 'https://acme-telecom.com/desk',
      answer_method: 'get',
      hangup_url: 'https://acme-telecom.com/hangup',
      subaccount: branch.body.authId,
    });
    expect(changed.status, JSON.stringify(changed.body)).toBe(204);
    expect(await applicationsOf(owner)).toEqual([
      expect.objectContaining({
        app_id: created.body.appId,
        app_name: 'Front desk',
        answer_url: 'https://acme-telecom.com/desk',
        answer_method: 'GET',
        hangup_url: 'https://acme-telecom.com/hangup',
        sub_account: branch.body.authId,
      }),
    ]);
    const viaSubaccount = await v1(
      server,
      branch.body,
      'GET',
      `/Account/${branch.body.authId}/Application/${created.body.appId}/`,
    );
    expect([viaSubaccount.status, viaSubaccount.body.app_name]).toEqual([200, 'Front desk']);
  });

  it('refuses a change with a bad URL or another account’s subaccount, and keeps the application as it was', async () => {
    const owner = await apiAccount(server);
    const other = await apiAccount(server);
    const theirs = await other.client.post('/api/subaccounts', { name: 'Theirs' });
    const created = await owner.client.post('/api/applications', {
      app_name: 'IVR',
      answer_url: 'https://acme-telecom.com/answer',
    });
    const before = await applicationsOf(owner);
    const badUrl = await owner.client.patch(`/api/applications/${created.body.appId}`, {
      app_name: 'Renamed',
      answer_url: 'ftp://acme-telecom.com/answer',
    });
    expect([badUrl.status, badUrl.body.code]).toEqual([400, ApplicationErrors.invalidUrl]);
    const foreign = await owner.client.patch(`/api/applications/${created.body.appId}`, {
      app_name: 'Renamed',
      subaccount: theirs.body.authId,
    });
    expect([foreign.status, foreign.body.code]).toEqual([400, ApplicationErrors.invalidSubaccount]);
    expect(await applicationsOf(owner)).toEqual(before);
  });
});

describe('the Endpoints page', () => {
  it('deletes an endpoint: it leaves the list and the API, and a second delete answers 404', async () => {
    const owner = await apiAccount(server);
    const kept = await owner.client.post('/api/endpoints', {
      username: 'desk',
      password: 'Sip-Phone-Secret-93',
      alias: 'Desk',
    });
    const removed = await owner.client.post('/api/endpoints', {
      username: 'lobby',
      password: 'Sip-Phone-Secret-93',
      alias: 'Lobby',
    });
    expect((await owner.client.delete(`/api/endpoints/${removed.body.endpointId}`)).status).toBe(204);
    const listed = await owner.client.get('/api/endpoints');
    expect(listed.body.endpoints.map((e: { endpointId: string }) => e.endpointId)).toEqual([
      kept.body.endpointId,
    ]);
    const viaApi = await v1(
      server,
      owner,
      'GET',
      `/Account/${owner.authId}/Endpoint/${removed.body.endpointId}/`,
    );
    expect(viaApi.status).toBe(404);
    const again = await owner.client.delete(`/api/endpoints/${removed.body.endpointId}`);
    expect([again.status, again.body.code]).toEqual([404, EndpointErrors.notFound]);
  });
});
