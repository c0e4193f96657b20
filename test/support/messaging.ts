import { fundedAccount, v1 } from './api-account.js';
import { loadTestPrices } from './engine-usage.js';
import { freshUsPrefix } from './phone-numbers.js';
import type { TestServer } from './server.js';

const HEADER =
  'number,country_iso,type,region,city,rate_center,voice,sms,mms,monthly_rental,voice_rate,sms_rate';

/** The price of one US SMS segment in these tests: 0.0065 a segment, inbound 0.001. */
export const US_SMS_RATE = '0.00650';

/** US SMS prices (outbound 0.0065, inbound 0.001 a segment), loaded into the server's price book once. */
export async function loadSmsPrices(server: TestServer): Promise<void> {
  const loaded = await server.system.database.db
    .selectFrom('prices')
    .select('deck_id')
    .where('country_iso', '=', 'US')
    .where('product', '=', 'sms')
    .where('rate_micros', '=', 6_500n)
    .executeTakeFirst();
  if (loaded) return;
  await loadTestPrices(server, [
    { country_iso: 'US', product: 'sms', direction: 'outbound', rate_micros: 6_500n },
    { country_iso: 'US', product: 'sms', direction: 'inbound', rate_micros: 1_000n },
  ]);
}

/** A US number with SMS put into the inventory (or without SMS: `sms: false`); answers its digits. */
export async function stockNumber(server: TestServer, options: { sms?: boolean } = {}): Promise<string> {
  const number = `1${freshUsPrefix()}${String(1000 + Math.floor(Math.random() * 9000))}`;
  await server.system.numbers.load(
    { ip: 'test', userAgent: null },
    [
      HEADER,
      `${number},US,local,"California, UNITED STATES",San Francisco,SNFC CNTRL,true,${options.sms ?? true},false,0.8,0.0085,0.0065`,
    ].join('\n'),
  );
  return number;
}

/** Rents a number of the inventory with these credentials (/v1 PhoneNumber), as a customer does. */
export async function rentNumber(
  server: TestServer,
  credentials: { authId: string; authToken: string },
  number: string,
): Promise<void> {
  const answer = await v1(
    server,
    credentials,
    'POST',
    `/Account/${credentials.authId}/PhoneNumber/${number}/`,
    {
      body: {},
    },
  );
  if (answer.status !== 200)
    throw new Error(`renting ${number}: ${answer.status} ${JSON.stringify(answer.body)}`);
}

/**
 * An account ready to send SMS: funded (10.00 unless told), US SMS prices loaded, and a US number
 * with SMS rented (what it sends from).
 */
export async function messagingAccount(server: TestServer, credit = '10') {
  await loadSmsPrices(server);
  const account = await fundedAccount(server, credit);
  // Tests wait for a message's state by asking the API every 20 ms: more than the standard 20 a second.
  await server.system.rateLimits.set({ ip: 'test', userAgent: null }, account.accountId, { standard: 1000 });
  const number = await stockNumber(server);
  await rentNumber(server, account, number);
  return { ...account, number };
}

/** A US destination number (random, valid to the price book: country code 1). */
export const usDestination = () => `1${freshUsPrefix()}${String(1000 + Math.floor(Math.random() * 9000))}`;
