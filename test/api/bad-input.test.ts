import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type apiAccount, fundedAccount } from '../support/api-account.js';
import { ConsoleClient } from '../support/browser-client.js';
import { setUpStaff, signInStaff, strongPassword } from '../support/journeys.js';
import { freshUsNumber } from '../support/phone-numbers.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * Input PostgreSQL cannot take (a NUL byte, a lone surrogate, a day that does not exist, a number
 * that is not finite), an update that names nothing, and a body nested beyond any route's need:
 * each door answers 400 in its own error shape naming the field, and nothing is written.
 */
let server: TestServer;
let account: Awaited<ReturnType<typeof apiAccount>>;
let staff: ConsoleClient;
let number: string;
let endpointId: string;

type Answer = { status: number; body: any };

const deeply = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

/** A request with a body sent exactly as written (JSON.stringify cannot write every attack). */
async function raw(door: 'console' | 'v1', method: string, path: string, text?: string): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (text !== undefined) headers['content-type'] = 'application/json';
  if (door === 'v1') {
    headers.authorization = `Basic ${Buffer.from(`${account.authId}:${account.authToken}`).toString('base64')}`;
  } else {
    const client = path.startsWith('/api/staff') ? staff : account.client;
    headers.cookie = [...client.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    headers['x-csrf-token'] = client.csrfToken;
    headers['x-forwarded-for'] = client.ip;
  }
  const url = door === 'v1' ? `${server.url}/v1/Account/${account.authId}${path}` : `${server.url}${path}`;
  const response = await fetch(url, { method, headers, body: text });
  const body = await response.text();
  return { status: response.status, body: body ? JSON.parse(body) : null };
}

const json = (value: unknown) => JSON.stringify(value);

/** Everything a refused request could have changed. */
async function writtenState() {
  const db = server.system.database.db;
  const rows = await Promise.all(
    ['audit_events', 'numbers', 'endpoints', 'rate_limits', 'accounts', 'sessions'].map((table) =>
      sql<{
        state: string;
      }>`SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) AS state FROM ${sql.table(table)} t`.execute(
        db,
      ),
    ),
  );
  return rows.map((result) => result.rows[0]?.state);
}

async function expectRefused(door: 'console' | 'v1', field: string, send: () => Promise<Answer>) {
  const before = await writtenState();
  const answer = await send();
  expect(answer.status, JSON.stringify(answer.body)).toBe(400);
  if (door === 'console') {
    expect(answer.body).toMatchObject({ type: 'about:blank', status: 400 });
    expect(answer.body.errors.map((problem: { field: string }) => problem.field)).toContain(field);
  } else {
    expect(answer.body.api_id).toEqual(expect.any(String));
    expect(answer.body.error).toContain(field);
  }
  expect(await writtenState()).toEqual(before);
}

beforeAll(async () => {
  server = await startTestServer();
  account = await fundedAccount(server);
  staff = await signInStaff(server, await setUpStaff(server, 'staff_admin'));
  number = freshUsNumber();
  await server.system.numbers.load(
    { ip: 'test', userAgent: null },
    `number,country_iso,type,region,voice,sms,monthly_rental\n${number},US,local,"California, UNITED STATES",true,true,0.8\n`,
  );
  expect((await account.client.post(`/api/numbers/${number}`, {})).status).toBe(201);
  const endpoint = await account.client.post('/api/endpoints', {
    username: 'desk',
    password: 'Sip-Phone-Secret-93',
    alias: 'Desk',
  });
  expect(endpoint.status).toBe(201);
  endpointId = endpoint.body.endpointId;
}, 120_000);
afterAll(() => server.stop());

describe('a NUL byte anywhere in a request', () => {
  it('is refused in the sign-in email, before anyone is signed in', async () => {
    const stranger = new ConsoleClient(server.url);
    await expectRefused('console', 'email', () =>
      stranger.post('/api/session', { email: 'ada\u0000@acme-telecom.com', password: strongPassword }),
    );
    await expectRefused('console', 'email', () =>
      stranger.post('/api/staff/session', { email: 'sam\u0000@acme-telecom.com', password: strongPassword }),
    );
  });

  it('is refused in a path parameter: GET …/Number/%00/', async () => {
    await expectRefused('v1', 'number', () => raw('v1', 'GET', '/Number/%00/'));
    await expectRefused('console', 'number', () => raw('console', 'DELETE', '/api/numbers/%00'));
  });

  it('is refused in a query parameter: ?alias=%00', async () => {
    await expectRefused('v1', 'alias', () => raw('v1', 'GET', '/Number/?alias=%00'));
    await expectRefused('console', 'region', () =>
      raw('console', 'GET', '/api/numbers/available?country_iso=US&region=%00'),
    );
    await expectRefused('console', 'q', () => raw('console', 'GET', '/api/staff/accounts?q=ab%00'));
  });

  it('is refused in a body field', async () => {
    await expectRefused('v1', 'name', () =>
      raw('v1', 'POST', '/Subaccount/', json({ name: 'Branch\u0000' })),
    );
    await expectRefused('console', 'name', () =>
      raw('console', 'POST', '/api/subaccounts', json({ name: 'Branch\u0000' })),
    );
  });

  it('in an Auth ID is refused as credentials that are not right, not looked up', async () => {
    const response = await fetch(`${server.url}/v1/Account/${account.authId}/`, {
      headers: {
        authorization: `Basic ${Buffer.from(`${account.authId}\u0000:${account.authToken}`).toString('base64')}`,
      },
    });
    expect(response.status).toBe(401);
  });
});

describe('a lone surrogate in a name', () => {
  it('is refused on both doors', async () => {
    await expectRefused('v1', 'name', () => raw('v1', 'POST', '/Subaccount/', '{"name":"Branch \\ud800"}'));
    await expectRefused('console', 'name', () =>
      raw('console', 'POST', '/api/subaccounts', '{"name":"Branch \\udc00"}'),
    );
    await expectRefused('console', 'name', () =>
      raw('console', 'PATCH', '/api/profile', '{"name":"\\ud800"}'),
    );
  });
});

describe('an update that names nothing to change', () => {
  it('is refused for a number, naming the fields it could give', async () => {
    await expectRefused('v1', 'alias', () => raw('v1', 'POST', `/Number/${number}/`, '{}'));
    await expectRefused('console', 'alias', () => raw('console', 'PATCH', `/api/numbers/${number}`, '{}'));
  });

  it('is refused for an endpoint, naming the fields it could give', async () => {
    await expectRefused('v1', 'alias', () => raw('v1', 'POST', `/Endpoint/${endpointId}/`, '{}'));
    await expectRefused('console', 'alias', () =>
      raw('console', 'PATCH', `/api/endpoints/${endpointId}`, '{}'),
    );
  });

  it('moving a number to where it already is changes nothing and is no error', async () => {
    const moved = await raw('v1', 'POST', `/Number/${number}/`, json({ subaccount: account.authId }));
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
  });
});

describe('a day that does not exist', () => {
  it('is refused as a renewal_date filter: 2026-02-30', async () => {
    await expectRefused('v1', 'renewal_date', () => raw('v1', 'GET', '/Number/?renewal_date=2026-02-30'));
    await expectRefused('v1', 'renewal_date__gte', () =>
      raw('v1', 'GET', '/Number/?renewal_date__gte=2025-02-29'),
    );
  });
});

describe('staff rate limits', () => {
  it('refuses "Infinity" as a limit', async () => {
    await expectRefused('console', 'standard', () =>
      raw(
        'console',
        'PUT',
        `/api/staff/accounts/${account.accountId}/rate-limits`,
        json({ standard: 'Infinity', reason: 'Test' }),
      ),
    );
  });
});

describe('a deeply nested body', () => {
  it('is refused by the body parser of each door', async () => {
    const body = `{"standard":5,"note":${deeply(100_000)}}`;
    await expectRefused('console', 'body', () =>
      raw('console', 'PUT', `/api/staff/accounts/${account.accountId}/rate-limits`, body),
    );
    await expectRefused('console', 'body', () =>
      raw('console', 'POST', '/api/subaccounts', `{"name":"Branch","x":${deeply(100_000)}}`),
    );
    await expectRefused('v1', 'body', () =>
      raw('v1', 'POST', '/Subaccount/', `{"name":"Branch","x":${deeply(100_000)}}`),
    );
  });

  it('is refused however it nests, while brackets inside strings do not count', async () => {
    const objects = `${'{"a":'.repeat(17)}1${'}'.repeat(17)}`;
    await expectRefused('v1', 'body', () => raw('v1', 'POST', `/Number/${number}/`, objects));
    const named = await raw('v1', 'POST', `/Number/${number}/`, json({ alias: '[[[[[[[[[[[[[[[[[[[[' }));
    expect(named.status, JSON.stringify(named.body)).toBe(200);
  });
});
