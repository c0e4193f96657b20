import plivo from 'plivo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAccount, v1 } from '../support/api-account.js';
import { failure, sdk as sdkFor } from '../support/plivo-sdk.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

const sdk = (authId: string, authToken: string) => sdkFor(server, authId, authToken);

/** The SDK's typings list only name, city and address, but it sends every parameter given. */
type AccountUpdate = (params: Record<string, string>) => Promise<{ message: string }>;

describe('the Account API through the official plivo SDK', () => {
  it('gets the account in Plivo’s fields and formats', async () => {
    const account = await apiAccount(server);
    const got = await sdk(account.authId, account.authToken).accounts.get();
    expect(got).toMatchObject({
      accountType: 'standard',
      autoRecharge: false,
      billingMode: 'prepaid',
      cashCredits: '0.00000',
      name: 'Acme Telecom',
      resourceUri: `/v1/Account/${account.authId}/`,
      timezone: 'UTC',
    });
    const raw = await v1(server, account, 'GET', `/Account/${account.authId}/`);
    expect(raw.body.auth_id).toBe(account.authId);
    expect(raw.body.api_id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('updates name, city, address, state and timezone', async () => {
    const account = await apiAccount(server);
    const client = sdk(account.authId, account.authToken);
    const update = client.accounts.update.bind(client.accounts) as unknown as AccountUpdate;
    const changed = await update({
      name: 'Acme Telecom',
      city: 'Pune',
      address: '1 Main Street',
      state: 'Maharashtra',
      timezone: 'Asia/Kolkata',
    });
    expect(changed.message).toBe('changed');
    expect(await client.accounts.get()).toMatchObject({
      name: 'Acme Telecom',
      city: 'Pune',
      address: '1 Main Street',
      state: 'Maharashtra',
      timezone: 'Asia/Kolkata',
    });
  });

  it('refuses a timezone that does not exist with a 400 the SDK raises as an invalid request', async () => {
    const account = await apiAccount(server);
    const client = sdk(account.authId, account.authToken);
    const update = client.accounts.update.bind(client.accounts) as unknown as AccountUpdate;
    const error = await failure(update({ name: 'Acme', timezone: 'Mars/Olympus_Mons' }));
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/not a time zone/);
  });

  it('answers wrong credentials with 401 and no hint whether the Auth ID exists', async () => {
    const account = await apiAccount(server);
    const wrongToken = await failure(sdk(account.authId, 'x'.repeat(40)).accounts.get());
    const unknownId = await failure(sdk('MA00000000000000000Z', 'x'.repeat(40)).accounts.get());
    expect(wrongToken.status).toBe(401);
    expect(unknownId.status).toBe(401);
    expect(unknownId.message).toBe(wrongToken.message);
  });

  it('answers another account’s Auth ID in the path with 404', async () => {
    const mine = await apiAccount(server);
    const theirs = await apiAccount(server);
    const client = new plivo.Client(mine.authId, mine.authToken, {
      url: `${server.url}/v1/Account/${theirs.authId}`,
    });
    const error = await failure(client.accounts.get());
    expect(error.status).toBe(404);
  });
});

describe('the Lookup API over HTTP (the SDK sends it to a fixed host)', () => {
  it('answers country, formats and number type, with or without "+" and the trailing slash', async () => {
    const account = await apiAccount(server);
    for (const path of ['/Number/+14154305555?type=carrier', '/Number/14154305555/?type=carrier']) {
      const response = await v1(server, account, 'GET', path);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        phone_number: '+14154305555',
        country: { name: 'United States', iso2: 'US', iso3: 'USA' },
        format: { e164: '+14154305555', national: '(415) 430-5555' },
        carrier: { mobile_country_code: null, mobile_network_code: null, name: null, ported: null },
        resource_uri: '/v1/Number/+14154305555?type=carrier',
      });
    }
    const mobile = await v1(server, account, 'GET', '/Number/+447911123456?type=carrier');
    expect(mobile.body.carrier.type).toBe('mobile');
  });

  it('answers an invalid number in Plivo’s error shape', async () => {
    const account = await apiAccount(server);
    const response = await v1(server, account, 'GET', '/Number/+1555?type=carrier');
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      api_id: expect.any(String),
      error: expect.stringMatching(/not a valid phone number/),
    });
  });

  it('asks for type=carrier', async () => {
    const account = await apiAccount(server);
    const response = await v1(server, account, 'GET', '/Number/+14154305555');
    expect(response.status).toBe(400);
    expect(response.body.error).toMatch(/type/);
  });
});
