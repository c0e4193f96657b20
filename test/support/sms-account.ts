import { fundedAccount } from './api-account.js';
import { rentNumber, stockNumber } from './messaging.js';
import type { TestServer } from './server.js';

/**
 * A funded account renting a US number with SMS, on a server whose SMS prices are already loaded
 * (loadSmsPrices once per server: messagingAccount loads them each time, which a second call refuses).
 */
export async function smsAccount(server: TestServer) {
  const account = await fundedAccount(server);
  const number = await stockNumber(server);
  await rentNumber(server, account, number);
  return { ...account, number };
}
