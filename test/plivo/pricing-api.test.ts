import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type apiAccount, fundedAccount, v1 } from '../support/api-account.js';
import { freshUsNumber } from '../support/phone-numbers.js';
import { failure, sdk as sdkFor } from '../support/plivo-sdk.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let account: Awaited<ReturnType<typeof apiAccount>>;
beforeAll(async () => {
  server = await startTestServer();
  account = await fundedAccount(server);
  // The prices of Plivo's own example answer (fixtures/pricingGetResponse.json), as a deck; its
  // 1340 row is the US Virgin Islands' range, which Switchboard prices as VI.
  await server.system.priceDecks.load(
    { ip: 'test', userAgent: null },
    'cli',
    [
      'country_iso,product,direction,number_type,prefix,rate,connect_fee,initial_increment,subsequent_increment',
      'US,voice,outbound,,,0.012,,,',
      'US,voice,outbound,,1808,0.034,,,',
      'US,voice,outbound,,1907,0.179,,,',
      'US,voice,outbound,,1900,0.603,0.05,30,6',
      'US,voice,outbound,tollfree,,0.003,,,',
      'US,voice,outbound,ip,,0.003,,1,1',
      'US,voice,inbound,,,0.0085,,,',
      'US,voice,inbound,tollfree,,0.021,,,',
      'US,voice,inbound,ip,,0.003,,,',
      'US,sms,outbound,,,0.0065,,,',
      'US,sms,inbound,,,0,,,',
      'US,mms,outbound,,,0.02,,,',
    ].join('\n'),
  );
  // Rentals: the cheapest local number is rented, so the cheapest one left to rent is 0.80.
  const [cheap, local, dear, tollfree] = [
    freshUsNumber(),
    freshUsNumber(),
    freshUsNumber(),
    freshUsNumber('tollfree'),
  ];
  await server.system.numbers.load(
    { ip: 'test', userAgent: null },
    [
      'number,country_iso,type,region,voice,sms,monthly_rental',
      `${cheap},US,local,California,true,true,0.5`,
      `${local},US,local,California,true,true,0.8`,
      `${dear},US,local,California,true,true,1.2`,
      `${tollfree},US,tollfree,United States,true,false,1`,
    ].join('\n'),
  );
  const rented = await v1(server, account, 'POST', `/Account/${account.authId}/PhoneNumber/${cheap}/`, {
    body: {},
  });
  expect(rented.status, JSON.stringify(rented.body)).toBe(200);
});
afterAll(() => server.stop());

/** The SDK's pricings.get as it behaves at run time (its type declarations omit it). */
type SdkPricings = { get(countryIso: string): Promise<Record<string, unknown>> };
const pricings = (credentials: { authId: string; authToken: string }) =>
  sdkFor(server, credentials.authId, credentials.authToken).pricings as unknown as SdkPricings;

describe('the Pricing API through the official plivo SDK', () => {
  it("answers pricings.get('US') in Plivo's shape, with the deck's prices and the inventory's rentals", async () => {
    const pricing = await pricings(account).get('US');
    expect(pricing).toMatchObject({
      apiId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      country: 'United States',
      countryCode: 1,
      countryIso: 'US',
      message: {
        inbound: { rate: '0.00000' },
        outbound: { rate: '0.00650' },
        outboundNetworksList: [{ groupName: 'US', rate: '0.00650' }],
      },
      mms: { inbound: { rate: null }, outbound: { rate: '0.02000' } },
      phoneNumbers: { local: { rate: '0.80000' }, tollfree: { rate: '1.00000' } },
      voice: {
        inbound: { ip: { rate: '0.00300' }, local: { rate: '0.00850' }, tollfree: { rate: '0.02100' } },
        outbound: { ip: { rate: '0.00300' }, local: { rate: '0.01200' }, tollfree: { rate: '0.00300' } },
      },
    });
    const outbound = (pricing.voice as { outbound: { rates: { prefix: string[]; rate: string }[] } })
      .outbound;
    expect(outbound.rates.map(({ prefix, rate }) => ({ prefix, rate }))).toEqual([
      { prefix: ['1'], rate: '0.01200' },
      { prefix: ['1'], rate: '0.00300' },
      { prefix: ['1'], rate: '0.00300' },
      { prefix: ['1808'], rate: '0.03400' },
      { prefix: ['1900'], rate: '0.60300' },
      { prefix: ['1907'], rate: '0.17900' },
    ]);
    expect(outbound.rates[4]).toEqual({
      prefix: ['1900'],
      rate: '0.60300',
      numberType: null,
      connectFee: '0.05000',
      initialIncrement: 30,
      subsequentIncrement: 6,
    });
  });

  it('answers a subaccount’s credentials the same prices', async () => {
    const created = await v1(server, account, 'POST', `/Account/${account.authId}/Subaccount/`, {
      body: { name: 'Branch', enabled: 'true' },
    });
    const sub = { authId: created.body.auth_id as string, authToken: created.body.auth_token as string };
    const answer = await v1(server, sub, 'GET', `/Account/${sub.authId}/Pricing/?country_iso=us`);
    expect([answer.status, answer.body.country_iso, answer.body.voice.outbound.local.rate]).toEqual([
      200,
      'US',
      '0.01200',
    ]);
  });

  it('answers 404 for a country without prices, as the SDK reports it', async () => {
    const error = await failure(pricings(account).get('FR'));
    expect([error.status, error.message]).toEqual([404, 'There are no prices for France (FR).']);
  });
});

describe('the Pricing API over HTTP', () => {
  const pricing = (query: string) =>
    v1(server, account, 'GET', `/Account/${account.authId}/Pricing/${query}`);

  it('refuses a missing or malformed country_iso with 400 in Plivo’s error shape', async () => {
    for (const [query, error] of [
      ['', 'country_iso is required: the two-letter country code, such as US.'],
      ['?country_iso=', 'country_iso is required: the two-letter country code, such as US.'],
      ['?country_iso=USA', 'country_iso must be a two-letter country code, such as US, not "USA".'],
      ['?country_iso=U1', 'country_iso must be a two-letter country code, such as US, not "U1".'],
    ]) {
      const answer = await pricing(query as string);
      expect([answer.status, answer.body], query).toEqual([400, { api_id: expect.any(String), error }]);
    }
  });

  it('answers 404 for a country that does not exist and one with nothing priced', async () => {
    const unknown = await pricing('?country_iso=XX');
    expect([unknown.status, unknown.body.error]).toEqual([
      404,
      'There is no country XX: country_iso is a two-letter country code, such as US.',
    ]);
    const unpriced = await pricing('?country_iso=JP');
    expect([unpriced.status, unpriced.body.error]).toEqual([404, 'There are no prices for Japan (JP).']);
  });

  it('shows a price only from its effective time', async () => {
    const from = new Date(server.clock.now().getTime() + 3_600_000);
    await server.system.priceDecks.load(
      { ip: 'test', userAgent: null },
      'cli',
      `country_iso,product,direction,rate,effective_from\nNZ,voice,outbound,0.05,${from.toISOString()}\n`,
    );
    expect((await pricing('?country_iso=NZ')).status).toBe(404);
    server.clock.advanceMinutes(61);
    const answer = await pricing('?country_iso=NZ');
    expect([answer.status, answer.body.voice.outbound.local.rate]).toEqual([200, '0.05000']);
  });

  it('counts against the Standard rate class', async () => {
    const limited = await fundedAccount(server);
    await server.system.rateLimits.set({ ip: 'test', userAgent: null }, limited.accountId, { standard: 1 });
    const path = `/Account/${limited.authId}/Pricing/?country_iso=US`;
    const first = await v1(server, limited, 'GET', path);
    const second = await v1(server, limited, 'GET', path);
    expect([first.status, first.headers.get('x-ratelimit-limit')]).toEqual([200, '1']);
    expect(second.status).toBe(429);
  });
});
