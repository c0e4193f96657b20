import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import plivo from 'plivo';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runDatabaseCommand } from '../../src/cli/run.js';
import { loadConfig } from '../../src/config.js';
import { startServer } from '../../src/server.js';
import { fundedAccount, v1 } from '../support/api-account.js';
import { testDataRoot } from '../support/global-setup.js';
import { uniqueEmail } from '../support/journeys.js';
import { freshUsPrefix } from '../support/phone-numbers.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { staffClient } from '../support/sso.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

type SdkObject = { number: string } & Record<string, string | boolean | null | undefined>;
type SdkList = SdkObject[] & { meta: { limit: number; offset: number; totalCount: number } };
/** The SDK's numbers.* calls as they behave at run time (its type declarations omit get and list's meta). */
interface SdkNumbers {
  search(countryIso: string, params?: Record<string, unknown>): Promise<SdkList>;
  buy(number: string, appId?: string): Promise<Record<string, unknown>>;
  list(params?: Record<string, unknown>): Promise<SdkList>;
  get(number: string): Promise<SdkObject>;
  update(number: string, params: Record<string, unknown>): Promise<{ apiId: string; message: string }>;
  unrent(number: string): Promise<boolean>;
}
const sdk = (authId: string, authToken: string) => {
  const client = new plivo.Client(authId, authToken, { url: `${server.url}/v1/Account/${authId}` });
  return { subaccounts: client.subaccounts, numbers: client.numbers as unknown as SdkNumbers };
};
type Credentials = { authId: string; authToken: string };
type SdkError = { status: number; message: string };
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('the call was expected to fail');
    },
    (error: unknown) => error as SdkError,
  );

const HEADER =
  'number,country_iso,type,region,city,rate_center,voice,sms,mms,monthly_rental,voice_rate,sms_rate';

/** Loads numbers into the inventory as staff do (the same CSV the CLI reads); answers them. */
async function stock(
  count: number,
  options: { prefix?: string; first?: number; type?: string; sms?: boolean } = {},
) {
  const prefix = options.prefix ?? freshUsPrefix(options.type === 'tollfree' ? 'tollfree' : 'local');
  const numbers = Array.from({ length: count }, (_, i) => `1${prefix}${String((options.first ?? 1000) + i)}`);
  const lines = numbers.map(
    (number) =>
      `${number},US,${options.type ?? 'local'},"California, UNITED STATES",San Francisco,SNFC CNTRL,true,${options.sms ?? true},false,0.8,0.0085,0.008`,
  );
  await server.system.numbers.load({ ip: 'test', userAgent: null }, [HEADER, ...lines].join('\n'));
  return { prefix, numbers };
}

async function withSubaccounts(main: Credentials) {
  const client = sdk(main.authId, main.authToken);
  const first = await client.subaccounts.create('EU', true);
  const second = await client.subaccounts.create('APAC', true);
  return [
    { authId: first.authId as string, authToken: first.authToken as string },
    { authId: second.authId as string, authToken: second.authToken as string },
  ] as const;
}

describe('searching and renting numbers through the official plivo SDK', () => {
  it('searches available numbers by country, pattern, type and services in Plivo’s list shape', async () => {
    const main = await fundedAccount(server);
    const client = sdk(main.authId, main.authToken);
    const { prefix, numbers } = await stock(3);
    await stock(1, { prefix: `${prefix.slice(0, 5)}${(Number(prefix[5]) + 1) % 10}` });
    await stock(1, { prefix, first: 2000, type: 'mobile', sms: false });
    const found = await client.numbers.search('US', {
      pattern: prefix,
      type: 'local',
      services: 'voice,sms',
    });
    expect(found.map((n: { number: string }) => n.number)).toEqual(numbers);
    expect(found.meta).toMatchObject({ limit: 20, offset: 0, totalCount: 3 });
    expect(found[0]).toMatchObject({
      number: numbers[0],
      country: 'UNITED STATES',
      region: 'California, UNITED STATES',
      monthlyRentalRate: '0.80000',
      voiceRate: '0.00850',
      smsRate: '0.00800',
      smsEnabled: true,
      voiceEnabled: true,
      type: 'local',
      resourceUri: `/v1/Account/${main.authId}/PhoneNumber/${numbers[0]}/`,
    });
    const page = await v1(
      server,
      main,
      'GET',
      `/Account/${main.authId}/PhoneNumber/?country_iso=US&pattern=${prefix}&limit=2`,
    );
    expect(page.body.meta).toEqual({
      limit: 2,
      next: `/v1/Account/${main.authId}/PhoneNumber/?limit=2&offset=2`,
      offset: 0,
      previous: null,
      total_count: 4,
    });
    const wildcard = await client.numbers.search('US', { pattern: `${prefix.slice(0, 5)}*` });
    expect(wildcard.meta.totalCount).toBe(5);
    const withoutSms = await client.numbers.search('US', { pattern: prefix, services: 'sms' });
    expect(withoutSms.meta.totalCount).toBe(3);
  });

  it('accepts the types national and fixed, which the inventory does not stock, answering no numbers', async () => {
    const main = await fundedAccount(server);
    const client = sdk(main.authId, main.authToken);
    const { prefix, numbers } = await stock(2);
    await client.numbers.buy(numbers[0] as string);
    for (const type of ['national', 'fixed']) {
      const found = await client.numbers.search('US', { pattern: prefix, type });
      expect([found.length, found.meta.totalCount], type).toEqual([0, 0]);
      const rented = await client.numbers.list({ type });
      expect([rented.length, rented.meta.totalCount], type).toEqual([0, 0]);
    }
    expect((await client.numbers.search('US', { pattern: prefix })).map((n) => n.number)).toEqual([
      numbers[1],
    ]);
    expect((await client.numbers.list({ type: 'local' })).map((n) => n.number)).toEqual([numbers[0]]);
  });

  it('requires country_iso and refuses unknown types and services', async () => {
    const main = await fundedAccount(server);
    const noCountry = await v1(server, main, 'GET', `/Account/${main.authId}/PhoneNumber/`);
    expect(noCountry.status).toBe(400);
    expect(noCountry.body.error).toMatch(/country_iso is required/);
    const client = sdk(main.authId, main.authToken);
    const badType = await failure(client.numbers.search('US', { type: 'satellite' }));
    expect(badType.status).toBe(400);
    expect(badType.message).toMatch(/type must be local, tollfree, mobile, national, fixed or any/);
    expect((await failure(client.numbers.search('US', { services: 'fax' }))).status).toBe(400);
  });

  it('rents an available number to the main account, off the search, with its monthly rental recorded', async () => {
    const main = await fundedAccount(server);
    const client = sdk(main.authId, main.authToken);
    const { prefix, numbers } = await stock(2);
    const number = numbers[0] as string;
    const bought = await client.numbers.buy(number);
    expect(bought).toMatchObject({
      message: 'created',
      status: 'fulfilled',
      numbers: [{ number, status: 'Success' }],
    });
    expect(bought.apiId).toMatch(/^[0-9a-f-]{36}$/);
    const found = await client.numbers.search('US', { pattern: prefix });
    expect(found.map((n: { number: string }) => n.number)).toEqual([numbers[1]]);
    const got = await client.numbers.get(number);
    const today = server.clock.now().toISOString().slice(0, 10);
    expect(got).toMatchObject({
      number,
      addedOn: today,
      alias: null,
      application: null,
      monthlyRentalRate: '0.80000',
      numberType: 'local',
      country: 'United States',
      region: 'California, UNITED STATES',
      smsEnabled: true,
      voiceEnabled: true,
      mmsEnabled: false,
      subAccount: null,
      resourceUri: `/v1/Account/${main.authId}/Number/${number}/`,
    });
    expect(got.renewalDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(String(got.renewalDate) > today).toBe(true);
    const stored = await server.system.database.db
      .selectFrom('numbers')
      .select(['monthly_rental_micros', 'account_id'])
      .where('number', '=', number)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ monthly_rental_micros: 800_000n, account_id: main.accountId });
    const audit = await server.system.database.db
      .selectFrom('audit_events')
      .select('action')
      .where('account_id', '=', main.accountId)
      .where('action', '=', 'number.rented')
      .execute();
    expect(audit).toHaveLength(1);
  });

  it('filters rented numbers by renewal date (renewal_date, __lt, __lte, __gt, __gte)', async () => {
    const main = await fundedAccount(server);
    const { numbers } = await stock(1);
    const number = numbers[0] as string;
    await sdk(main.authId, main.authToken).numbers.buy(number);
    const renewal = (await v1(server, main, 'GET', `/Account/${main.authId}/Number/${number}/`)).body
      .renewal_date as string;
    const list = async (query: string) =>
      (await v1(server, main, 'GET', `/Account/${main.authId}/Number/?${query}`)).body.objects.map(
        (n: { number: string }) => n.number,
      );
    expect(await list(`renewal_date=${renewal}`)).toEqual([number]);
    expect(await list(`renewal_date__gte=${renewal}`)).toEqual([number]);
    expect(await list(`renewal_date__lt=${renewal}`)).toEqual([]);
    expect(await list(`renewal_date__gt=${renewal}`)).toEqual([]);
    expect(await list(`renewal_date__lte=${renewal}`)).toEqual([number]);
    const bad = await v1(server, main, 'GET', `/Account/${main.authId}/Number/?renewal_date__lt=soon`);
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/renewal_date__lt must be a date/);
  });

  it('links an application at rent time (an application of the caller’s own)', async () => {
    const main = await fundedAccount(server);
    const client = sdk(main.authId, main.authToken);
    const app = await v1(server, main, 'POST', `/Account/${main.authId}/Application/`, {
      body: { app_name: 'IVR' },
    });
    const { numbers } = await stock(2);
    const [first, second] = numbers as [string, string];
    await client.numbers.buy(first, app.body.app_id);
    expect((await client.numbers.get(first)).application).toBe(
      `/v1/Account/${main.authId}/Application/${app.body.app_id}/`,
    );
    const other = await fundedAccount(server);
    const foreignApp = await failure(sdk(other.authId, other.authToken).numbers.buy(second, app.body.app_id));
    expect(foreignApp.status).toBe(404);
    expect((await client.numbers.search('US', { pattern: second.slice(1) })).meta.totalCount).toBe(1);
  });

  it('refuses to rent a rented number (400) and one not in the inventory (404)', async () => {
    const main = await fundedAccount(server);
    const other = await fundedAccount(server);
    const { numbers } = await stock(1);
    const number = numbers[0] as string;
    await sdk(main.authId, main.authToken).numbers.buy(number);
    const taken = await failure(sdk(other.authId, other.authToken).numbers.buy(number));
    expect(taken.status).toBe(400);
    expect(taken.message).toMatch(/not available: it is already rented/);
    const again = await failure(sdk(main.authId, main.authToken).numbers.buy(number));
    expect(again.status).toBe(400);
    const unknown = await failure(sdk(main.authId, main.authToken).numbers.buy(`1${freshUsPrefix()}0000`));
    expect(unknown.status).toBe(404);
    expect(unknown.message).toMatch(/not in the inventory/);
  });

  it('lets an account under review search but not rent: it must be active first', async () => {
    const pending = await server.system.provisioning.create(
      { ip: 'test', userAgent: null },
      { email: uniqueEmail('pending'), name: 'Pending Co', activate: false },
    );
    expect(pending.status).not.toBe('active');
    const client = sdk(pending.authId, pending.authToken);
    const { prefix, numbers } = await stock(1);
    expect((await client.numbers.search('US', { pattern: prefix })).meta.totalCount).toBe(1);
    const refused = await failure(client.numbers.buy(numbers[0] as string));
    expect(refused.status).toBe(400);
    expect(refused.message).toMatch(/account must be active/);
    expect((await client.numbers.search('US', { pattern: prefix })).meta.totalCount).toBe(1);
  });

  it('gives a number rented with a subaccount’s credentials to that subaccount', async () => {
    const main = await fundedAccount(server);
    const [eu] = await withSubaccounts(main);
    const { numbers } = await stock(1);
    const number = numbers[0] as string;
    await sdk(eu.authId, eu.authToken).numbers.buy(number);
    expect((await sdk(main.authId, main.authToken).numbers.get(number)).subAccount).toBe(eu.authId);
    expect((await sdk(eu.authId, eu.authToken).numbers.get(number)).resourceUri).toBe(
      `/v1/Account/${eu.authId}/Number/${number}/`,
    );
  });
});

describe('rented numbers through the official plivo SDK', () => {
  it('lists rented numbers with filters: type, number_startswith, subaccount, alias, services', async () => {
    const main = await fundedAccount(server);
    const [eu] = await withSubaccounts(main);
    const client = sdk(main.authId, main.authToken);
    const local = await stock(2);
    const tollfree = await stock(1, { type: 'tollfree', sms: false });
    for (const number of [...local.numbers, ...tollfree.numbers]) await client.numbers.buy(number);
    await client.numbers.update(local.numbers[1] as string, { alias: 'Support line', subAccount: eu.authId });
    const all = await client.numbers.list({ limit: 20, offset: 0 });
    expect(all.meta.totalCount).toBe(3);
    expect(
      (await client.numbers.list({ type: 'tollfree' })).map((n: { number: string }) => n.number),
    ).toEqual(tollfree.numbers);
    expect((await client.numbers.list({ numberStartswith: `1${local.prefix}` })).meta.totalCount).toBe(2);
    expect(
      (await client.numbers.list({ subAccount: eu.authId })).map((n: { number: string }) => n.number),
    ).toEqual([local.numbers[1]]);
    expect((await client.numbers.list({ alias: 'Support line' })).meta.totalCount).toBe(1);
    expect((await client.numbers.list({ services: 'voice,sms' })).meta.totalCount).toBe(2);
    const page = await v1(server, main, 'GET', `/Account/${main.authId}/Number/?limit=1&offset=1`);
    expect(page.body.meta).toMatchObject({
      limit: 1,
      offset: 1,
      total_count: 3,
      next: `/v1/Account/${main.authId}/Number/?limit=1&offset=2`,
      previous: `/v1/Account/${main.authId}/Number/?limit=1&offset=0`,
    });
    expect(page.body.objects[0]).toMatchObject({ monthly_rental_rate: '0.80000', country: 'United States' });
    const subList = await sdk(eu.authId, eu.authToken).numbers.list();
    expect(subList.map((n: { number: string }) => n.number)).toEqual([local.numbers[1]]);
  });

  it('updates alias and application, and moves a number between the account’s own subaccounts', async () => {
    const main = await fundedAccount(server);
    const [eu, apac] = await withSubaccounts(main);
    const client = sdk(main.authId, main.authToken);
    const app = await v1(server, main, 'POST', `/Account/${main.authId}/Application/`, {
      body: { app_name: 'Sales' },
    });
    const { numbers } = await stock(1);
    const number = numbers[0] as string;
    await client.numbers.buy(number);
    const changed = await client.numbers.update(number, { alias: 'Sales line', appId: app.body.app_id });
    expect(changed.message).toBe('changed');
    expect(await client.numbers.get(number)).toMatchObject({
      alias: 'Sales line',
      application: `/v1/Account/${main.authId}/Application/${app.body.app_id}/`,
    });
    await client.numbers.update(number, { subAccount: eu.authId });
    expect((await client.numbers.get(number)).subAccount).toBe(eu.authId);
    expect((await sdk(eu.authId, eu.authToken).numbers.get(number)).number).toBe(number);
    await client.numbers.update(number, { subAccount: apac.authId });
    expect((await client.numbers.get(number)).subAccount).toBe(apac.authId);
    expect((await failure(sdk(eu.authId, eu.authToken).numbers.get(number))).status).toBe(404);
    await client.numbers.update(number, { subAccount: main.authId });
    expect((await client.numbers.get(number)).subAccount).toBeNull();
    const unlinked = await v1(server, main, 'POST', `/Account/${main.authId}/Number/${number}/`, {
      body: { app_id: '' },
    });
    expect(unlinked.status).toBe(200);
    expect((await client.numbers.get(number)).application).toBeNull();
    const moves = await server.system.database.db
      .selectFrom('audit_events')
      .select('action')
      .where('account_id', '=', main.accountId)
      .where('action', '=', 'number.moved')
      .execute();
    expect(moves).toHaveLength(3);
  });

  it('refuses to move a number to another account’s subaccount, and changes nothing', async () => {
    const main = await fundedAccount(server);
    const other = await fundedAccount(server);
    const [theirs] = await withSubaccounts(other);
    const client = sdk(main.authId, main.authToken);
    const { numbers } = await stock(1);
    const number = numbers[0] as string;
    await client.numbers.buy(number);
    const refused = await failure(
      client.numbers.update(number, { alias: 'Moved?', subAccount: theirs.authId }),
    );
    expect(refused.status).toBe(400);
    expect(refused.message).toMatch(/is not a subaccount of this account/);
    expect(await client.numbers.get(number)).toMatchObject({ alias: null, subAccount: null });
    expect((await failure(client.numbers.update(number, { subAccount: other.authId }))).status).toBe(400);
    expect((await failure(sdk(other.authId, other.authToken).numbers.get(number))).status).toBe(404);
    expect(
      (await failure(sdk(other.authId, other.authToken).numbers.update(number, { alias: 'x' }))).status,
    ).toBe(404);
    expect((await failure(sdk(theirs.authId, theirs.authToken).numbers.unrent(number))).status).toBe(404);
    expect((await client.numbers.get(number)).subAccount).toBeNull();
  });

  it('keeps a subaccount to its own numbers: a sibling’s answers 404 and it cannot give numbers away', async () => {
    const main = await fundedAccount(server);
    const [eu, apac] = await withSubaccounts(main);
    const { numbers } = await stock(2);
    const [euNumber, apacNumber] = numbers as [string, string];
    await sdk(eu.authId, eu.authToken).numbers.buy(euNumber);
    await sdk(apac.authId, apac.authToken).numbers.buy(apacNumber);
    const euClient = sdk(eu.authId, eu.authToken);
    const sibling = await failure(euClient.numbers.get(apacNumber));
    expect(sibling.status).toBe(404);
    expect((await failure(euClient.numbers.update(apacNumber, { alias: 'mine' }))).status).toBe(404);
    expect((await failure(euClient.numbers.unrent(apacNumber))).status).toBe(404);
    const giveAway = await failure(euClient.numbers.update(euNumber, { subAccount: apac.authId }));
    expect(giveAway.status).toBe(400);
    expect(giveAway.message).toMatch(/subaccount cannot give its numbers/);
    expect((await failure(euClient.numbers.update(euNumber, { subAccount: main.authId }))).status).toBe(400);
    expect((await euClient.numbers.get(euNumber)).subAccount).toBe(eu.authId);
    expect((await euClient.numbers.update(euNumber, { alias: 'EU desk' })).message).toBe('changed');
    expect((await euClient.numbers.list()).map((n: { number: string }) => n.number)).toEqual([euNumber]);
  });

  it('unrents a number back to the inventory, without owner, alias or application', async () => {
    const main = await fundedAccount(server);
    const client = sdk(main.authId, main.authToken);
    const app = await v1(server, main, 'POST', `/Account/${main.authId}/Application/`, {
      body: { app_name: 'Gone' },
    });
    const { prefix, numbers } = await stock(1);
    const number = numbers[0] as string;
    await client.numbers.buy(number, app.body.app_id);
    await client.numbers.update(number, { alias: 'Old line' });
    const raw = await v1(server, main, 'DELETE', `/Account/${main.authId}/Number/${number}/`);
    expect(raw.status).toBe(204);
    expect((await failure(client.numbers.get(number))).status).toBe(404);
    expect((await failure(client.numbers.unrent(number))).status).toBe(404);
    const stored = await server.system.database.db
      .selectFrom('numbers')
      .select(['account_id', 'subaccount_id', 'application_id', 'alias', 'added_on', 'renewal_date'])
      .where('number', '=', number)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({
      account_id: null,
      subaccount_id: null,
      application_id: null,
      alias: null,
      added_on: null,
      renewal_date: null,
    });
    expect((await client.numbers.search('US', { pattern: prefix })).meta.totalCount).toBe(1);
    await client.numbers.buy(number);
    expect(await client.numbers.unrent(number)).toBe(true);
  });
});

describe('numbers when their application or subaccount is deleted', () => {
  it('unlinks an application’s numbers when the application is deleted; they stay rented', async () => {
    const main = await fundedAccount(server);
    const client = sdk(main.authId, main.authToken);
    const app = await v1(server, main, 'POST', `/Account/${main.authId}/Application/`, {
      body: { app_name: 'Temporary' },
    });
    const { numbers } = await stock(1);
    const number = numbers[0] as string;
    await client.numbers.buy(number, app.body.app_id);
    const deleted = await v1(
      server,
      main,
      'DELETE',
      `/Account/${main.authId}/Application/${app.body.app_id}/`,
      {
        body: { cascade: 'true' },
      },
    );
    expect(deleted.status).toBe(204);
    expect(await client.numbers.get(number)).toMatchObject({ number, application: null });
  });

  it('releases a deleted subaccount’s numbers with cascade=true, and gives them to the main account otherwise', async () => {
    const main = await fundedAccount(server);
    const client = sdk(main.authId, main.authToken);
    const [eu, apac] = await withSubaccounts(main);
    const { prefix, numbers } = await stock(2);
    const [euNumber, apacNumber] = numbers as [string, string];
    await sdk(eu.authId, eu.authToken).numbers.buy(euNumber);
    await sdk(apac.authId, apac.authToken).numbers.buy(apacNumber);
    await client.subaccounts.delete(eu.authId, true);
    expect((await failure(client.numbers.get(euNumber))).status).toBe(404);
    expect(
      (await client.numbers.search('US', { pattern: prefix })).map((n: { number: string }) => n.number),
    ).toEqual([euNumber]);
    await client.subaccounts.delete(apac.authId, false);
    expect(await client.numbers.get(apacNumber)).toMatchObject({ number: apacNumber, subAccount: null });
  });

  it('keeps the console from deleting a subaccount that still holds numbers, naming them', async () => {
    const main = await fundedAccount(server);
    const [eu] = await withSubaccounts(main);
    const { numbers } = await stock(1);
    const number = numbers[0] as string;
    await sdk(eu.authId, eu.authToken).numbers.buy(number);
    const refused = await main.client.delete(`/api/subaccounts/${eu.authId}`);
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toMatch(new RegExp(`number ${number}`));
    await sdk(eu.authId, eu.authToken).numbers.unrent(number);
    expect((await main.client.delete(`/api/subaccounts/${eu.authId}`)).status).toBe(204);
  });
});

describe('loading the number inventory', () => {
  it('refuses a file with bad lines, naming each line, and adds nothing', async () => {
    const prefix = freshUsPrefix();
    const csv = [
      HEADER,
      `1${prefix}0001,US,local,California,,,true,true,false,0.8,0,0`,
      `1${prefix}0002,US,landline,California,,,true,true,false,0.8,0,0`,
      `44${prefix}0003,US,local,California,,,true,true,false,0.8,0,0`,
      `1${prefix}0004,US,local,California,,,true,maybe,false,-1,0,0`,
      `1${prefix}0001,US,local,California,,,true,true,false,0.8,0,0`,
    ].join('\n');
    const refused = await server.system.numbers
      .load({ ip: 'test', userAgent: null }, csv)
      .catch((e: Error) => e);
    expect(refused).toBeInstanceOf(Error);
    const message = (refused as Error).message;
    expect(message).toMatch(/^No numbers were added/);
    expect(message).toMatch(/line 3: type must be local, tollfree or mobile, not "landline"/);
    expect(message).toMatch(/line 4: number 44\d+ does not start with US's country code 1/);
    expect(message).toMatch(
      /line 5: sms must be true or false, not "maybe"; monthly_rental must be an amount/,
    );
    expect(message).toMatch(/line 6: number 1\d+ is already on line 2/);
    expect(message).not.toMatch(/line 2:/);
    const main = await fundedAccount(server);
    expect(
      (await sdk(main.authId, main.authToken).numbers.search('US', { pattern: prefix })).meta.totalCount,
    ).toBe(0);
  });

  it('lets staff add numbers through the staff API, and refuses a number already in the inventory', async () => {
    const staff = await staffClient(server);
    const prefix = freshUsPrefix();
    const csv = `number,country_iso,type,region,voice,sms,monthly_rental\n+1${prefix}0001,us,mobile,"Texas, UNITED STATES",yes,no,1.25\n`;
    const added = await staff.post('/api/staff/numbers', { csv });
    expect(added.status, JSON.stringify(added.body)).toBe(200);
    expect(added.body).toEqual({ loaded: 1 });
    const again = await staff.post('/api/staff/numbers', { csv });
    expect(again.status).toBe(400);
    expect(JSON.stringify(again.body)).toMatch(/line 2: number 1\d+ is already in the inventory/);
    const main = await fundedAccount(server);
    const [found] = await sdk(main.authId, main.authToken).numbers.search('US', {
      pattern: prefix,
      type: 'mobile',
    });
    expect(found).toMatchObject({
      number: `1${prefix}0001`,
      type: 'mobile',
      region: 'Texas, UNITED STATES',
      monthlyRentalRate: '1.25000',
      voiceEnabled: true,
      smsEnabled: false,
    });
    const audit = await server.system.database.db
      .selectFrom('audit_events')
      .select(['staff_id', 'details'])
      .where('action', '=', 'numbers.loaded')
      .where('staff_id', 'is not', null)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({ count: 1, numbers: [`1${prefix}0001`] });
  });

  it('refuses staff number loads to a customer session', async () => {
    const main = await fundedAccount(server);
    const answer = await main.client.post('/api/staff/numbers', { csv: HEADER });
    expect([401, 403]).toContain(answer.status);
  });

  it('loads a CSV file with `switchboard numbers load` (through the running server on the embedded database)', async () => {
    const prefix = freshUsPrefix();
    const dir = path.join(testDataRoot, `numbers_${randomBytes(4).toString('hex')}`);
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'numbers.csv');
    writeFileSync(
      file,
      `${HEADER}\r\n1${prefix}0001,US,mobile,"California, UNITED STATES",,,true,false,false,2,0.01,0\r\n1${prefix}0002,US,local,"New York, UNITED STATES",New York,,true,true,true,0.8,0.0085,0.0075\r\n`,
    );
    const csv = readFileSync(file, 'utf8');
    if (process.env.TEST_TARGET === 'postgres') {
      expect(await runDatabaseCommand(server.config, 'numbers.load', { csv })).toEqual({ loaded: 2 });
      const main = await fundedAccount(server);
      const found = await sdk(main.authId, main.authToken).numbers.search('US', { pattern: prefix });
      expect(found.map((n: { number: string }) => n.number)).toEqual([`1${prefix}0001`, `1${prefix}0002`]);
      return;
    }
    cpSync(inject('pgliteTemplate'), path.join(dir, 'pglite'), { recursive: true });
    const config = loadConfig({ DATA_DIR: dir, PORT: '0', LOG_LEVEL: 'silent' });
    const embedded = await startServer(config);
    try {
      expect(await runDatabaseCommand(config, 'numbers.load', { csv })).toEqual({ loaded: 2 });
      await expect(runDatabaseCommand(config, 'numbers.load', { csv })).rejects.toThrow(
        /line 2: number 1\d+ is already in the inventory/,
      );
      const page = await embedded.system.numbers.search({ country_iso: 'US', pattern: prefix }, 20, 0);
      expect(page.rows.map((row) => [row.number, row.number_type, row.monthly_rental_micros])).toEqual([
        [`1${prefix}0001`, 'mobile', 2_000_000n],
        [`1${prefix}0002`, 'local', 800_000n],
      ]);
    } finally {
      await embedded.stop();
    }
  });
});
