import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sipHa1 } from '../../src/modules/endpoints/service.js';
import { apiAccount, v1 } from '../support/api-account.js';
import { startTestServer, type TestServer } from '../support/server.js';

// The plivo SDK sends applications.* and endpoints.* to Plivo's own host whatever its url option
// says, so these are driven over HTTP at the same paths (plivo-api/README.md).
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

async function withSubaccount() {
  const main = await apiAccount(server);
  const sub = await v1(server, main, 'POST', `/Account/${main.authId}/Subaccount/`, {
    body: { name: 'EU', enabled: 'true' },
  });
  return { main, sub: { authId: sub.body.auth_id as string, authToken: sub.body.auth_token as string } };
}

describe('the Application API', () => {
  it('creates, gets, lists, updates and deletes applications in Plivo’s shapes', async () => {
    const main = await apiAccount(server);
    const created = await v1(server, main, 'POST', `/Account/${main.authId}/Application/`, {
      body: {
        app_name: 'IVR',
        answer_url: 'https://acme-telecom.com/answer',
        answer_method: 'get',
        default_number_app: true,
      },
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ message: 'created', app_id: expect.stringMatching(/^\d{17}$/) });
    const appId = created.body.app_id;
    const got = await v1(server, main, 'GET', `/Account/${main.authId}/Application/${appId}/`);
    expect(got.body).toMatchObject({
      app_id: appId,
      app_name: 'IVR',
      answer_url: 'https://acme-telecom.com/answer',
      answer_method: 'GET',
      default_app: true,
      hangup_method: 'POST',
      sub_account: null,
      resource_uri: `/v1/Account/${main.authId}/Application/${appId}/`,
      sip_uri: expect.stringMatching(new RegExp(`^sip:${appId}@`)),
    });
    expect(
      (
        await v1(server, main, 'POST', `/Account/${main.authId}/Application/${appId}/`, {
          body: { hangup_url: 'https://acme-telecom.com/hangup' },
        })
      ).body.message,
    ).toBe('changed');
    const list = await v1(server, main, 'GET', `/Account/${main.authId}/Application/?app_name=IVR`);
    expect(list.body.meta.total_count).toBe(1);
    expect(list.body.objects[0].hangup_url).toBe('https://acme-telecom.com/hangup');
    expect((await v1(server, main, 'DELETE', `/Account/${main.authId}/Application/${appId}/`)).status).toBe(
      204,
    );
    expect((await v1(server, main, 'GET', `/Account/${main.authId}/Application/${appId}/`)).status).toBe(404);
  });

  it('refuses a missing app_name and a URL that is not http(s)', async () => {
    const main = await apiAccount(server);
    const noName = await v1(server, main, 'POST', `/Account/${main.authId}/Application/`, {
      body: { answer_url: 'https://x.example' },
    });
    expect(noName.status).toBe(400);
    const badUrl = await v1(server, main, 'POST', `/Account/${main.authId}/Application/`, {
      body: { app_name: 'x', answer_url: 'ftp://x' },
    });
    expect(badUrl.status).toBe(400);
    expect(badUrl.body.error).toMatch(/answer_url must be an http or https URL/);
  });

  it('lets the main account see its subaccounts’ applications, a subaccount only its own, and nobody another account’s', async () => {
    const { main, sub } = await withSubaccount();
    const other = await apiAccount(server);
    const mine = await v1(server, sub, 'POST', `/Account/${sub.authId}/Application/`, {
      body: { app_name: 'Sub app' },
    });
    const mainOwn = await v1(server, main, 'POST', `/Account/${main.authId}/Application/`, {
      body: { app_name: 'Main app' },
    });
    const viaMain = await v1(server, main, 'GET', `/Account/${main.authId}/Application/${mine.body.app_id}/`);
    expect(viaMain.body.sub_account).toBe(sub.authId);
    expect(
      (await v1(server, sub, 'GET', `/Account/${sub.authId}/Application/${mainOwn.body.app_id}/`)).status,
    ).toBe(404);
    expect((await v1(server, sub, 'GET', `/Account/${sub.authId}/Application/`)).body.meta.total_count).toBe(
      1,
    );
    expect(
      (await v1(server, main, 'GET', `/Account/${main.authId}/Application/?subaccount=${sub.authId}`)).body
        .meta.total_count,
    ).toBe(1);
    expect(
      (await v1(server, other, 'GET', `/Account/${other.authId}/Application/${mine.body.app_id}/`)).status,
    ).toBe(404);
    expect(
      (await v1(server, other, 'DELETE', `/Account/${other.authId}/Application/${mine.body.app_id}/`)).status,
    ).toBe(404);
  });
});

describe('creating an application for a subaccount', () => {
  it('gives an application created with `subaccount` to that subaccount, which then holds it', async () => {
    const { main, sub } = await withSubaccount();
    const created = await v1(server, main, 'POST', `/Account/${main.authId}/Application/`, {
      body: { app_name: 'Branch IVR', subaccount: sub.authId },
    });
    expect([created.status, created.body.message]).toEqual([200, 'created']);
    const appId = created.body.app_id;
    const viaMain = await v1(server, main, 'GET', `/Account/${main.authId}/Application/${appId}/`);
    expect(viaMain.body.sub_account).toBe(sub.authId);
    const viaSub = await v1(server, sub, 'GET', `/Account/${sub.authId}/Application/`);
    expect(viaSub.body.objects.map((o: { app_id: string }) => o.app_id)).toEqual([appId]);
    const deleted = await v1(server, main, 'DELETE', `/Account/${main.authId}/Subaccount/${sub.authId}/`, {
      body: { cascade: 'true' },
    });
    expect(deleted.status).toBe(204);
    expect((await v1(server, main, 'GET', `/Account/${main.authId}/Application/${appId}/`)).status).toBe(404);
  });

  it('refuses another account’s subaccount (400) and creates nothing', async () => {
    const main = await apiAccount(server);
    const { sub: theirs } = await withSubaccount();
    const refused = await v1(server, main, 'POST', `/Account/${main.authId}/Application/`, {
      body: { app_name: 'Hijack', subaccount: theirs.authId },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toBe(`subaccount ${theirs.authId} is not a subaccount of this account.`);
    expect(
      (await v1(server, main, 'GET', `/Account/${main.authId}/Application/`)).body.meta.total_count,
    ).toBe(0);
    expect(
      (await v1(server, theirs, 'GET', `/Account/${theirs.authId}/Application/`)).body.meta.total_count,
    ).toBe(0);
  });

  it('refuses a subaccount placing an application in a sibling, creating nothing, and accepts its own Auth ID', async () => {
    const { main, sub } = await withSubaccount();
    const sibling = await v1(server, main, 'POST', `/Account/${main.authId}/Subaccount/`, {
      body: { name: 'APAC', enabled: 'true' },
    });
    const siblingCredentials = { authId: sibling.body.auth_id, authToken: sibling.body.auth_token };
    const refused = await v1(server, sub, 'POST', `/Account/${sub.authId}/Application/`, {
      body: { app_name: 'Mine', subaccount: siblingCredentials.authId },
    });
    expect([refused.status, refused.body.error]).toEqual([
      400,
      expect.stringContaining(`keep applications in that subaccount (${sub.authId})`),
    ]);
    for (const caller of [sub, siblingCredentials]) {
      const listed = await v1(server, caller, 'GET', `/Account/${caller.authId}/Application/`);
      expect(listed.body.meta.total_count).toBe(0);
    }
    const created = await v1(server, sub, 'POST', `/Account/${sub.authId}/Application/`, {
      body: { app_name: 'Mine', subaccount: sub.authId },
    });
    expect(created.status).toBe(200);
    const got = await v1(server, sub, 'GET', `/Account/${sub.authId}/Application/${created.body.app_id}/`);
    expect(got.body.sub_account).toBe(sub.authId);
  });
});

describe('the Endpoint API', () => {
  it('creates an endpoint with a unique username, keeps only the SIP digest of its password, and links an application', async () => {
    const main = await apiAccount(server);
    const app = await v1(server, main, 'POST', `/Account/${main.authId}/Application/`, {
      body: { app_name: 'Phones' },
    });
    const password = 'Sip-Phone-Secret-93';
    const created = await v1(server, main, 'POST', `/Account/${main.authId}/Endpoint/`, {
      body: { username: 'zumba', password, alias: 'Front desk', app_id: app.body.app_id },
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      message: 'created',
      alias: 'Front desk',
      endpoint_id: expect.stringMatching(/^\d{14}$/),
    });
    expect(created.body.username).toMatch(/^zumba\d+$/);
    const second = await v1(server, main, 'POST', `/Account/${main.authId}/Endpoint/`, {
      body: { username: 'zumba', password, alias: 'Back' },
    });
    expect(second.body.username).not.toBe(created.body.username);
    const got = await v1(
      server,
      main,
      'GET',
      `/Account/${main.authId}/Endpoint/${created.body.endpoint_id}/`,
    );
    expect(got.body).toMatchObject({
      username: created.body.username,
      application: `/v1/Account/${main.authId}/Application/${app.body.app_id}/`,
      sub_account: null,
    });
    const stored = await server.system.database.db
      .selectFrom('endpoints')
      .select('sip_ha1_encrypted')
      .where('endpoint_id', '=', created.body.endpoint_id)
      .executeTakeFirstOrThrow();
    expect(stored.sip_ha1_encrypted).not.toContain(password);
    expect(server.system.secrets.decrypt(stored.sip_ha1_encrypted)).toBe(
      sipHa1(created.body.username, server.config.sipDomain, password),
    );
  });

  it('refuses a weak endpoint password with the reason', async () => {
    const main = await apiAccount(server);
    const weak = await v1(server, main, 'POST', `/Account/${main.authId}/Endpoint/`, {
      body: { username: 'desk', password: 'password', alias: 'Desk' },
    });
    expect(weak.status).toBe(400);
    expect(weak.body.error).toMatch(/password/);
  });

  it('deletes an application’s endpoints with it on cascade, and unlinks them otherwise', async () => {
    const main = await apiAccount(server);
    const password = 'Sip-Phone-Secret-93';
    const app = async (name: string) =>
      (await v1(server, main, 'POST', `/Account/${main.authId}/Application/`, { body: { app_name: name } }))
        .body.app_id;
    const endpoint = async (appId: string) =>
      (
        await v1(server, main, 'POST', `/Account/${main.authId}/Endpoint/`, {
          body: { username: 'ep', password, alias: 'x', app_id: appId },
        })
      ).body.endpoint_id;
    const kept = await app('Kept');
    const keptEndpoint = await endpoint(kept);
    await v1(server, main, 'DELETE', `/Account/${main.authId}/Application/${kept}/`, {
      body: { cascade: 'false' },
    });
    expect(
      (await v1(server, main, 'GET', `/Account/${main.authId}/Endpoint/${keptEndpoint}/`)).body.application,
    ).toBeNull();
    const gone = await app('Gone');
    const goneEndpoint = await endpoint(gone);
    await v1(server, main, 'DELETE', `/Account/${main.authId}/Application/${gone}/`, {
      body: { cascade: 'true' },
    });
    expect((await v1(server, main, 'GET', `/Account/${main.authId}/Endpoint/${goneEndpoint}/`)).status).toBe(
      404,
    );
  });

  it('keeps a subaccount’s endpoints out of a sibling’s and another account’s reach', async () => {
    const { main, sub } = await withSubaccount();
    const other = await apiAccount(server);
    const created = await v1(server, sub, 'POST', `/Account/${sub.authId}/Endpoint/`, {
      body: { username: 'subphone', password: 'Sip-Phone-Secret-93', alias: 'S' },
    });
    expect(
      (await v1(server, main, 'GET', `/Account/${main.authId}/Endpoint/${created.body.endpoint_id}/`)).body
        .sub_account,
    ).toBe(sub.authId);
    expect(
      (await v1(server, other, 'GET', `/Account/${other.authId}/Endpoint/${created.body.endpoint_id}/`))
        .status,
    ).toBe(404);
    expect(
      (
        await v1(server, other, 'POST', `/Account/${other.authId}/Endpoint/${created.body.endpoint_id}/`, {
          body: { alias: 'Hijack' },
        })
      ).status,
    ).toBe(404);
  });
});

describe('deleting a subaccount through the API', () => {
  async function subaccountWithResources() {
    const { main, sub } = await withSubaccount();
    const app = await v1(server, sub, 'POST', `/Account/${sub.authId}/Application/`, {
      body: { app_name: 'Sub IVR' },
    });
    const endpoint = await v1(server, sub, 'POST', `/Account/${sub.authId}/Endpoint/`, {
      body: { username: 'subdesk', password: 'Sip-Phone-Secret-93', alias: 'Desk', app_id: app.body.app_id },
    });
    return { main, sub, appId: app.body.app_id as string, endpointId: endpoint.body.endpoint_id as string };
  }

  it('moves its applications and endpoints to the main account without cascade', async () => {
    const { main, sub, appId, endpointId } = await subaccountWithResources();
    expect(
      (
        await v1(server, main, 'DELETE', `/Account/${main.authId}/Subaccount/${sub.authId}/`, {
          body: { cascade: 'false' },
        })
      ).status,
    ).toBe(204);
    expect(
      (await v1(server, main, 'GET', `/Account/${main.authId}/Application/${appId}/`)).body.sub_account,
    ).toBeNull();
    expect(
      (await v1(server, main, 'GET', `/Account/${main.authId}/Endpoint/${endpointId}/`)).body.sub_account,
    ).toBeNull();
  });

  it('deletes its applications and endpoints with cascade=true', async () => {
    const { main, sub, appId, endpointId } = await subaccountWithResources();
    expect(
      (
        await v1(server, main, 'DELETE', `/Account/${main.authId}/Subaccount/${sub.authId}/`, {
          body: { cascade: 'true' },
        })
      ).status,
    ).toBe(204);
    expect((await v1(server, main, 'GET', `/Account/${main.authId}/Application/${appId}/`)).status).toBe(404);
    expect((await v1(server, main, 'GET', `/Account/${main.authId}/Endpoint/${endpointId}/`)).status).toBe(
      404,
    );
  });
});
