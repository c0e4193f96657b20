import { randomUUID } from 'node:crypto';
import type { AccountStatus } from '../../src/db/schema.js';
import { onboardedUser } from './journeys.js';
import type { TestServer } from './server.js';

/** An active account made through the console, with its Auth ID and Auth Token as the console shows them. */
export async function apiAccount(server: TestServer) {
  const person = await onboardedUser(server);
  const me = await person.client.get('/api/me');
  const accountId: string = me.body.account.id;
  const authId: string = me.body.account.authId;
  const { authToken } = await server.system.credentials.view(accountId);
  if (!authToken) throw new Error('the new account has no auth token');
  return { ...person, accountId, authId, authToken };
}

/**
 * Puts an account under review as an activation rule would have, past the lifecycle (an active
 * account cannot go back to review): the setting-up of tests about held accounts.
 */
export async function holdForReview(server: TestServer, accountId: string, reviewReason?: string) {
  const status: AccountStatus = 'under_review';
  await server.system.database.db
    .updateTable('accounts')
    .set({ status, ...(reviewReason ? { review_reason: reviewReason } : {}) })
    .where('id', '=', accountId)
    .execute();
}

/** A raw /v1 request with HTTP Basic auth, optionally from another address (X-Forwarded-For via the trusted loopback proxy). */
export async function v1(
  server: TestServer,
  credentials: { authId: string; authToken: string },
  method: string,
  path: string,
  options: { body?: unknown; ip?: string } = {},
) {
  const headers: Record<string, string> = {
    authorization: `Basic ${Buffer.from(`${credentials.authId}:${credentials.authToken}`).toString('base64')}`,
  };
  if (options.ip) headers['x-forwarded-for'] = options.ip;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${server.url}/v1${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
}

/** Credits a main account as staff would (an adjustment with its own key): what renting and sessions spend. */
export async function addCredit(server: TestServer, accountId: string, amount = '10') {
  return server.system.credits.adjust({ ip: 'test', userAgent: null, cli: true }, accountId, {
    amount,
    reason: 'Test credit',
    idempotencyKey: randomUUID(),
  });
}

/** An active account with credit to spend (10.00 unless told): renting numbers needs it. */
export async function fundedAccount(server: TestServer, amount = '10') {
  const account = await apiAccount(server);
  await addCredit(server, account.accountId, amount);
  return account;
}
