import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type apiAccount, fundedAccount, v1 } from '../support/api-account.js';
import { loadTestPrices, testEngine } from '../support/engine-usage.js';
import { freshUsNumber } from '../support/phone-numbers.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * The /v1 API has no roles: its matrix is whose credentials call it (ANSWERS.md). A main account, its
 * subaccounts and another account each act in their own path only; a subaccount acts on its own
 * resources there and never on its main account's or a sibling's. Every /v1/Account route the server
 * serves is called, so a new route must say here what a subaccount may do with it.
 */
type Credentials = { authId: string; authToken: string };
type Answer = Awaited<ReturnType<typeof v1>>;
type Route = { method: string; url: string };

/** What one subaccount holds: an application, an endpoint and a rented number. */
interface Held {
  appId: string;
  endpointId: string;
  number: string;
  /** A message scheduled a day ahead from the number (so it holds no credit and can be canceled). */
  messageUuid: string;
  /** An answered call from the endpoint (to itself), as the SIP server reports it through the engine door. */
  callUuid: string;
}

let server: TestServer;
let main: Awaited<ReturnType<typeof apiAccount>>;
let other: Awaited<ReturnType<typeof apiAccount>>;
let sub: Credentials;
let sibling: Credentials;
let accountRoutes: Route[];
let engineKey: string;

async function engineCall(path: string, body: unknown) {
  const response = await fetch(`${server.url}/api/engine${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${engineKey}` },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

const stockNumber = async () => {
  const number = freshUsNumber();
  await server.system.numbers.load(
    { ip: 'test', userAgent: null },
    `number,country_iso,type,region,voice,sms,monthly_rental\n${number},US,local,"California, UNITED STATES",true,true,0.8\n`,
  );
  return number;
};

const bodyless = (method: string) => method === 'GET' || method === 'DELETE';
const tomorrow = () => new Date(server.clock.now().getTime() + 86_400_000).toISOString();

/** Calls a route template with the caller's credentials on `pathAuthId`'s path. */
function call(
  caller: Credentials,
  route: Route,
  pathAuthId: string,
  params: Record<string, string> = {},
  options: { body?: unknown; query?: string } = {},
) {
  const path = route.url
    .replace('/v1', '')
    .replace(':authId', pathAuthId)
    .replace(/:(\w+)/g, (_match, name: string) => params[name] ?? '1');
  return v1(server, caller, route.method, `${path}${options.query ?? ''}`, {
    ...(bodyless(route.method) ? {} : { body: options.body ?? {} }),
  });
}

/** An application, an endpoint and a rented number of the given account or subaccount, made through its own credentials. */
async function holdings(owner: Credentials): Promise<Held> {
  const base = `/Account/${owner.authId}`;
  const app = await v1(server, owner, 'POST', `${base}/Application/`, { body: { app_name: 'Desk' } });
  const endpoint = await v1(server, owner, 'POST', `${base}/Endpoint/`, {
    body: { username: 'desk', password: 'Sip-Phone-Secret-93', alias: 'Desk' },
  });
  const number = await stockNumber();
  const rented = await v1(server, owner, 'POST', `${base}/PhoneNumber/${number}/`, { body: {} });
  const message = await v1(server, owner, 'POST', `${base}/Message/`, {
    body: { src: number, dst: '14155550100', text: 'Tomorrow', send_at: tomorrow() },
  });
  const username = endpoint.body.username as string;
  const routed = await engineCall('/calls', {
    sip_call_id: randomUUID(),
    from_user: username,
    from: username,
    to: username,
    source_ip: '127.0.0.1',
  });
  const answered = await engineCall(`/calls/${routed.body.call_uuid}/answer`, { h_entry: 1, h_id: 1 });
  expect([
    app.status,
    endpoint.status,
    rented.status,
    message.status,
    routed.status,
    answered.status,
  ]).toEqual([200, 200, 200, 202, 201, 200]);
  return {
    appId: app.body.app_id,
    endpointId: endpoint.body.endpoint_id,
    number,
    messageUuid: message.body.message_uuid[0],
    callUuid: routed.body.call_uuid,
  };
}

/** Gives back what holdings() made (whatever a route already deleted answers 404, which is fine). */
async function release(owner: Credentials, held: Held, rentedToo: string) {
  const base = `/Account/${owner.authId}`;
  for (const path of [
    `/Number/${held.number}/`,
    `/Number/${rentedToo}/`,
    `/Application/${held.appId}/`,
    `/Endpoint/${held.endpointId}/`,
  ]) {
    const { status } = await v1(server, owner, 'DELETE', `${base}${path}`);
    expect([204, 404], path).toContain(status);
  }
  await engineCall(`/calls/${held.callUuid}/end`, {
    hangup_cause: 'NORMAL_CLEARING',
    hangup_source: 'caller',
  });
  // A scheduled message is canceled (409 once a route canceled it already).
  {
    const { status } = await v1(server, owner, 'DELETE', `${base}/Message/${held.messageUuid}/`);
    expect([204, 409]).toContain(status);
  }
}

/** What an account sees of its holdings through its own credentials. */
async function read(owner: Credentials, held: Held) {
  const base = `/Account/${owner.authId}`;
  return Promise.all(
    [
      `/Application/${held.appId}/`,
      `/Endpoint/${held.endpointId}/`,
      `/Number/${held.number}/`,
      `/Message/${held.messageUuid}/`,
    ].map(async (path) => {
      const { status, body } = await v1(server, owner, 'GET', `${base}${path}`);
      const { api_id: _apiId, ...object } = body;
      return { status, object };
    }),
  );
}

const refusesSubaccounts = (answer: Answer) =>
  expect([answer.status, answer.body.error]).toEqual([
    400,
    expect.stringMatching(/cannot manage subaccounts/),
  ]);
const listsOnly = (key: string) => (answer: Answer, own: Held, foreign: Held[]) => {
  expect(answer.status).toBe(200);
  const listed = answer.body.objects.map((object: Record<string, string>) => object[key]);
  const field =
    key === 'app_id'
      ? 'appId'
      : key === 'endpoint_id'
        ? 'endpointId'
        : key === 'message_uuid'
          ? 'messageUuid'
          : key === 'call_uuid'
            ? 'callUuid'
            : 'number';
  expect(listed).toContain(own[field]);
  for (const held of foreign) expect(listed).not.toContain(held[field]);
};
const answers = (status: number, message?: string) => (answer: Answer) => {
  expect(answer.status, JSON.stringify(answer.body)).toBe(status);
  if (message) expect(answer.body.message).toBe(message);
};

/**
 * What a subaccount gets on its own path, with resources of its own (a fresh set for each route) and,
 * for the Subaccount API, its sibling's Auth ID. `available` is a number nobody rents yet.
 */
const ownPath: Record<
  string,
  {
    body?: unknown;
    /** A body made of the caller's own resources (a message sent from its own number). */
    bodyOf?: (own: Held) => unknown;
    query?: string;
    params?: (own: Held, available: string) => Record<string, string>;
    check: (answer: Answer, own: Held, foreign: Held[]) => void;
  }
> = {
  'GET /v1/Account/:authId/': {
    check: (answer) => expect([answer.status, answer.body.auth_id]).toEqual([200, sub.authId]),
  },
  'POST /v1/Account/:authId/': { body: { city: 'Berlin' }, check: answers(200, 'changed') },
  'POST /v1/Account/:authId/Subaccount/': { body: { name: 'Nested' }, check: refusesSubaccounts },
  'GET /v1/Account/:authId/Subaccount/': { check: refusesSubaccounts },
  'GET /v1/Account/:authId/Subaccount/:subauthId/': { check: refusesSubaccounts },
  'POST /v1/Account/:authId/Subaccount/:subauthId/': {
    body: { name: 'Taken over' },
    check: refusesSubaccounts,
  },
  'DELETE /v1/Account/:authId/Subaccount/:subauthId/': { check: refusesSubaccounts },
  'POST /v1/Account/:authId/Application/': { body: { app_name: 'Own' }, check: answers(200, 'created') },
  'GET /v1/Account/:authId/Application/': { check: listsOnly('app_id') },
  'GET /v1/Account/:authId/Application/:appId/': {
    check: (answer, own) =>
      expect([answer.status, answer.body.app_id, answer.body.sub_account]).toEqual([
        200,
        own.appId,
        sub.authId,
      ]),
  },
  'POST /v1/Account/:authId/Application/:appId/': {
    body: { app_name: 'Renamed' },
    check: answers(200, 'changed'),
  },
  'DELETE /v1/Account/:authId/Application/:appId/': { check: answers(204) },
  'POST /v1/Account/:authId/Endpoint/': {
    body: { username: 'own', password: 'Sip-Phone-Secret-93', alias: 'Own' },
    check: answers(200, 'created'),
  },
  'GET /v1/Account/:authId/Endpoint/': { check: listsOnly('endpoint_id') },
  'GET /v1/Account/:authId/Endpoint/:endpointId/': {
    check: (answer, own) => expect([answer.status, answer.body.endpoint_id]).toEqual([200, own.endpointId]),
  },
  'POST /v1/Account/:authId/Endpoint/:endpointId/': {
    body: { alias: 'Renamed' },
    check: answers(200, 'changed'),
  },
  'DELETE /v1/Account/:authId/Endpoint/:endpointId/': { check: answers(204) },
  'GET /v1/Account/:authId/PhoneNumber/': {
    query: '?country_iso=US',
    check: (answer) => expect([answer.status, Array.isArray(answer.body.objects)]).toEqual([200, true]),
  },
  'POST /v1/Account/:authId/PhoneNumber/:number/': {
    params: (_own, available) => ({ number: available }),
    check: answers(200, 'created'),
  },
  'GET /v1/Account/:authId/Number/': { check: listsOnly('number') },
  'GET /v1/Account/:authId/Number/:number/': {
    check: (answer, own) =>
      expect([answer.status, answer.body.number, answer.body.sub_account]).toEqual([
        200,
        own.number,
        sub.authId,
      ]),
  },
  'POST /v1/Account/:authId/Number/:number/': {
    body: { alias: 'Front desk' },
    check: answers(200, 'changed'),
  },
  'DELETE /v1/Account/:authId/Number/:number/': { check: answers(204) },
  'GET /v1/Account/:authId/Pricing/': {
    query: '?country_iso=US',
    check: (answer) =>
      expect([answer.status, answer.body.country_iso, answer.body.voice?.outbound.local.rate]).toEqual([
        200,
        'US',
        '0.01200',
      ]),
  },
  'POST /v1/Account/:authId/Message/': {
    bodyOf: (own) => ({ src: own.number, dst: '14155550101', text: 'Own number', send_at: tomorrow() }),
    check: answers(202, 'message(s) queued'),
  },
  'GET /v1/Account/:authId/Message/': { check: listsOnly('message_uuid') },
  'GET /v1/Account/:authId/Message/:uuid/': {
    params: (own) => ({ uuid: own.messageUuid }),
    check: (answer, own) =>
      expect([answer.status, answer.body.message_uuid, answer.body.subaccount]).toEqual([
        200,
        own.messageUuid,
        sub.authId,
      ]),
  },
  'DELETE /v1/Account/:authId/Message/:uuid/': {
    params: (own) => ({ uuid: own.messageUuid }),
    check: answers(204),
  },
  'GET /v1/Account/:authId/Call/': { check: listsOnly('call_uuid') },
  'GET /v1/Account/:authId/Call/:uuid/': {
    params: (own) => ({ uuid: own.callUuid }),
    check: (answer, own) =>
      expect([answer.status, answer.body.call_uuid, answer.body.subaccount]).toEqual([
        200,
        own.callUuid,
        sub.authId,
      ]),
  },
  'DELETE /v1/Account/:authId/Call/:uuid/': {
    params: (own) => ({ uuid: own.callUuid }),
    check: answers(204),
  },
  'GET /v1/Account/:authId/Usage/': {
    check: (answer) => {
      expect(answer.status).toBe(200);
      for (const total of answer.body.objects) expect(total.subaccount).toBe(sub.authId);
    },
  },
  'GET /v1/Account/:authId/AuditEvent/': {
    check: (answer) => {
      expect(answer.status).toBe(200);
      expect(answer.body.objects.length).toBeGreaterThan(0);
      for (const event of answer.body.objects) expect(event.account_id).toBe(sub.authId);
    },
  },
};

/** Routes that address a held resource by id: a subaccount naming someone else's gets 404. */
const addressesHeld = (route: Route) =>
  /:(appId|endpointId|uuid)\//.test(route.url) || route.url.includes('/Number/:number/');

beforeAll(async () => {
  server = await startTestServer();
  // Every test rents numbers (0.80 a month each).
  main = await fundedAccount(server, '1000');
  other = await fundedAccount(server, '1000');
  // Subaccounts draw on their main account's rate limit, and requests to another account's paths
  // count against the caller; this file makes more than 20 requests a second.
  for (const account of [main, other]) {
    await server.system.rateLimits.set({ ip: 'test', userAgent: null }, account.accountId, {
      standard: 100_000,
    });
  }
  const created = async () => {
    const answer = await v1(server, main, 'POST', `/Account/${main.authId}/Subaccount/`, {
      body: { name: 'Branch', enabled: 'true' },
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return { authId: answer.body.auth_id as string, authToken: answer.body.auth_token as string };
  };
  sub = await created();
  sibling = await created();
  await server.system.priceDecks.load(
    { ip: 'test', userAgent: null },
    'cli',
    'country_iso,product,direction,rate\nUS,voice,outbound,0.012\nUS,sms,outbound,0.0065\n',
  );
  engineKey = (await testEngine(server)).key;
  await loadTestPrices(server, [
    { country_iso: 'ZZ', product: 'voice', direction: 'outbound', number_type: 'ip', rate_micros: 3_000n },
  ]);
  accountRoutes = server.app.routeList.filter((route) => route.url.startsWith('/v1/Account/:authId'));
}, 120_000);
afterAll(() => server.stop());

describe('the permission matrix of the /v1 API', () => {
  it('covers every /v1/Account route the server serves', () => {
    expect(accountRoutes.length).toBeGreaterThanOrEqual(20);
    const keys = accountRoutes.map((route) => `${route.method} ${route.url}`);
    expect(keys.filter((key) => !(key in ownPath))).toEqual([]);
    expect(Object.keys(ownPath).filter((key) => !keys.includes(key))).toEqual([]);
  });

  it('answers 404 to any credentials on a path that is not their own account’s', async () => {
    const callers: [string, Credentials, string[]][] = [
      ['another account', other, [main.authId, sub.authId]],
      ['a subaccount', sub, [main.authId, sibling.authId]],
      ['the main account', main, [sub.authId]],
    ];
    for (const route of accountRoutes) {
      for (const [who, caller, paths] of callers) {
        for (const pathAuthId of paths) {
          const answer = await call(caller, route, pathAuthId);
          expect(
            [answer.status, answer.body.error],
            `${who} on ${pathAuthId}: ${route.method} ${route.url}`,
          ).toEqual([404, `Account ${pathAuthId} not found.`]);
        }
      }
    }
  });

  it('lets a subaccount use every route on its own path, on its own resources only', async () => {
    for (const route of accountRoutes) {
      const key = `${route.method} ${route.url}`;
      const rule = ownPath[key];
      if (!rule) throw new Error(`${key} has no entry in ownPath`);
      const own = await holdings(sub);
      const available = await stockNumber();
      const params = { subauthId: sibling.authId, ...own, ...rule.params?.(own, available) };
      const answer = await call(sub, route, sub.authId, params, {
        ...rule,
        ...(rule.bodyOf ? { body: rule.bodyOf(own) } : {}),
      });
      rule.check(answer, own, []);
      // Released again, so the lists stay one page long for the checks after this one.
      await release(sub, own, available);
    }
  });

  it('refuses a subaccount its sibling’s and its main account’s resources with 404, and changes nothing', async () => {
    const theirs = await holdings(sibling);
    const mains = await holdings(main);
    const before = [await read(sibling, theirs), await read(main, mains)];
    const own = await holdings(sub);
    for (const route of accountRoutes.filter(addressesHeld)) {
      const rule = ownPath[`${route.method} ${route.url}`];
      for (const foreign of [theirs, mains]) {
        const uuid = route.url.includes('/Call/') ? foreign.callUuid : foreign.messageUuid;
        const answer = await call(sub, route, sub.authId, { ...foreign, uuid }, rule);
        expect([answer.status, answer.body.error], `${route.method} ${route.url}`).toEqual([
          404,
          expect.stringMatching(/not found/),
        ]);
      }
    }
    for (const list of ['Application', 'Endpoint', 'Number', 'Message', 'Call']) {
      const route = { method: 'GET', url: `/v1/Account/:authId/${list}/` };
      ownPath[`GET ${route.url}`]?.check(await call(sub, route, sub.authId), own, [theirs, mains]);
    }
    expect([await read(sibling, theirs), await read(main, mains)]).toEqual(before);
  });

  it('refuses to rent a number a sibling rents (400 number_not_available), leaving it the sibling’s', async () => {
    const theirs = await holdings(sibling);
    const rent = await v1(server, sub, 'POST', `/Account/${sub.authId}/PhoneNumber/${theirs.number}/`, {
      body: {},
    });
    expect(rent.status).toBe(400);
    const got = await v1(server, sibling, 'GET', `/Account/${sibling.authId}/Number/${theirs.number}/`);
    expect(got.body.sub_account).toBe(sibling.authId);
  });

  it('lets the account’s own credentials in, and answers wrong credentials with 401', async () => {
    expect((await v1(server, main, 'GET', `/Account/${main.authId}/`)).status).toBe(200);
    expect(
      (
        await v1(
          server,
          { authId: main.authId, authToken: other.authToken },
          'GET',
          `/Account/${main.authId}/`,
        )
      ).status,
    ).toBe(401);
    expect(
      (
        await v1(
          server,
          { authId: sub.authId, authToken: sibling.authToken },
          'GET',
          `/Account/${sub.authId}/`,
        )
      ).status,
    ).toBe(401);
    expect((await v1(server, other, 'GET', '/Number/+14154305555?type=carrier')).status).toBe(200);
  });
});
