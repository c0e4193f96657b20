import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PriceErrors } from '../../src/modules/billing/errors.js';
import { apiAccount } from '../support/api-account.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { invitedMember } from '../support/team.js';

let server: TestServer;
let account: Awaited<ReturnType<typeof apiAccount>>;
beforeAll(async () => {
  server = await startTestServer();
  account = await apiAccount(server);
  await server.system.priceDecks.load(
    { ip: 'test', userAgent: null },
    'cli',
    [
      'country_iso,product,direction,number_type,prefix,rate,connect_fee,initial_increment,subsequent_increment',
      'GB,voice,outbound,,,0.015,,30,6',
      'GB,voice,outbound,mobile,447,0.09,0.01,30,6',
      'GB,voice,inbound,,,0.01,,,',
      'GB,sms,outbound,,,0.04,,,',
      'GB,sms,outbound,mobile,447,0.035,,,',
    ].join('\n'),
  );
});
afterAll(() => server.stop());

describe('Voice > Pricing and Messaging > Pricing in the console', () => {
  it('shows a Developer and a Financial Analyst the same prices as the Owner: pricing is for every member', async () => {
    const developer = await invitedMember(server, account.client, 'developer');
    const analyst = await invitedMember(server, account.client, 'financial_analyst');
    const answers = await Promise.all(
      [account.client, developer.client, analyst.client].map((client) =>
        client.get('/api/pricing?country_iso=GB'),
      ),
    );
    for (const answer of answers) expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answers[1]?.body).toEqual(answers[0]?.body);
    expect(answers[2]?.body).toEqual(answers[0]?.body);
    expect(answers[0]?.body).toMatchObject({
      country: 'United Kingdom',
      country_code: 44,
      country_iso: 'GB',
      message: {
        outbound: { rate: '0.04000' },
        outbound_networks_list: [
          { group_name: 'GB', rate: '0.04000', prefix: ['44'], number_type: null },
          { group_name: 'GB +447 mobile', rate: '0.03500', prefix: ['447'], number_type: 'mobile' },
        ],
      },
      voice: {
        inbound: { local: { rate: '0.01000' } },
        outbound: {
          local: { rate: '0.01500' },
          mobile: { rate: '0.01500' },
          rates: [
            {
              prefix: ['44'],
              rate: '0.01500',
              number_type: null,
              connect_fee: '0.00000',
              initial_increment: 30,
              subsequent_increment: 6,
            },
            {
              prefix: ['447'],
              rate: '0.09000',
              number_type: 'mobile',
              connect_fee: '0.01000',
              initial_increment: 30,
              subsequent_increment: 6,
            },
          ],
        },
      },
    });
    expect(answers[0]?.body.api_id).toBeUndefined();
  });

  it('asks for a country, and says when a country has no prices', async () => {
    const missing = await account.client.get('/api/pricing');
    expect([missing.status, missing.body.code]).toEqual([400, PriceErrors.countryIsoRequired]);
    const malformed = await account.client.get('/api/pricing?country_iso=GBR');
    expect([malformed.status, malformed.body.code]).toEqual([400, PriceErrors.invalidCountryIso]);
    const unpriced = await account.client.get('/api/pricing?country_iso=JP');
    expect([unpriced.status, unpriced.body.code, unpriced.body.detail]).toEqual([
      404,
      PriceErrors.noPricing,
      'There are no prices for Japan (JP).',
    ]);
  });
});
