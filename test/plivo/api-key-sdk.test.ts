import plivo from 'plivo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fundedAccount } from '../support/api-account.js';
import { freshUsNumber } from '../support/phone-numbers.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * The official node SDK with a restricted API key instead of the Auth Token: the key id and secret
 * in the Auth ID's and Auth Token's places, the account's Auth ID in the url option. What the key
 * allows works; the rest is refused 403 (the SDK hides the body over HTTP, so the status is what
 * it reports).
 */
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

/**
 * The HTTP status a refused SDK call reports: the SDK has no error class for 403 and rejects with a
 * plain Error whose message is axios's "Request failed with status code 403".
 */
const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('the call was expected to fail');
    },
    (error: unknown) => Number(/status code (\d{3})/.exec(String((error as Error).message))?.[1]),
  );

interface SdkNumbers {
  list(params?: Record<string, unknown>): Promise<{ number: string }[]>;
  buy(number: string, appId?: string): Promise<Record<string, unknown>>;
}

describe('the official node SDK with a restricted API key', () => {
  it('does what the key allows and is refused 403 for the rest', async () => {
    const account = await fundedAccount(server);
    const rented = freshUsNumber();
    const spare = freshUsNumber();
    await server.system.numbers.load(
      { ip: 'test', userAgent: null },
      `number,country_iso,type,region,voice,sms,monthly_rental\n${rented},US,local,"California, UNITED STATES",true,true,0.8\n${spare},US,local,"California, UNITED STATES",true,true,0.8\n`,
    );
    const owner = new plivo.Client(account.authId, account.authToken, {
      url: `${server.url}/v1/Account/${account.authId}`,
    });
    await (owner.numbers as unknown as SdkNumbers).buy(rented);

    const created = await account.client.post('/api/credentials/api-keys', {
      name: 'Inventory reader',
      fullAccess: false,
      grants: { Account: ['read'], Number: ['read'] },
    });
    expect(created.status).toBe(201);
    const client = new plivo.Client(created.body.keyId, created.body.secret, {
      url: `${server.url}/v1/Account/${account.authId}`,
    });

    const got = await client.accounts.get();
    expect(got).toMatchObject({ resourceUri: `/v1/Account/${account.authId}/` });
    const numbers = await (client.numbers as unknown as SdkNumbers).list();
    expect(numbers.map((n) => n.number)).toEqual([rented]);

    expect(await refusal((client.numbers as unknown as SdkNumbers).buy(spare))).toBe(403);
    expect(await refusal(client.subaccounts.create('EU', true))).toBe(403);
    const update = client.accounts.update.bind(client.accounts) as unknown as (
      params: Record<string, string>,
    ) => Promise<unknown>;
    expect(await refusal(update({ city: 'Berlin' }))).toBe(403);
    // Nothing the refused calls asked for happened.
    expect((await (owner.numbers as unknown as SdkNumbers).list()).map((n) => n.number)).toEqual([rented]);
    const subaccounts = await server.system.database.db
      .selectFrom('accounts')
      .select('id')
      .where('parent_account_id', '=', account.accountId)
      .execute();
    expect(subaccounts).toEqual([]);
  });
});
