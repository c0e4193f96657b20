import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { permissions } from '../../src/http/permissions.js';
import { fundedAccount } from '../support/api-account.js';
import type { ConsoleClient } from '../support/browser-client.js';
import { testTarget } from '../support/database.js';
import { setUpStaff, signInStaff, uniqueEmail, uniquePhone, userIdOf } from '../support/journeys.js';
import { freshUsNumber } from '../support/phone-numbers.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * Requests generated from the server's own OpenAPI document, for every operation of the three doors
 * (console, staff, /v1), signed in so they reach the handlers: valid-ish bodies and broken ones
 * (wrong types, oversized and Unicode-edge strings, NUL bytes, missing and extra fields, bad JSON,
 * deep nesting, wrong content types, query arrays), path parameters filled with real ids and random
 * ones. Any 5xx, any answer showing SQL or a stack trace, or a request the server does not answer
 * fails the run, which prints its seed: FUZZ_SEED=<seed> replays it.
 */
const seed = Number(process.env.FUZZ_SEED ?? randomInt(2 ** 31));
const requestCount = Number(process.env.FUZZ_REQUESTS ?? (testTarget === 'postgres' ? 5_000 : 10_000));
const concurrency = 8;

/** mulberry32: a small seeded generator, so a failing run can be replayed exactly. */
function mulberry32(start: number) {
  let state = start >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = mulberry32(seed);
const chance = (p: number) => random() < p;
const below = (n: number) => Math.floor(random() * n);
const pick = <T>(items: readonly T[]): T => items[below(items.length)] as T;
const uuid = () =>
  [8, 4, 4, 4, 12].map((length) => Array.from({ length }, () => below(16).toString(16)).join('')).join('-');

/** Routes that would end or replace the fuzz session itself, or lock it out: left alone. */
const excluded = new Set([
  'DELETE /api/session',
  'POST /api/session/account',
  'DELETE /api/staff/session',
  'POST /api/staff/setup',
]);

/** Strings at the edges of Unicode and of what a column holds. */
const edgeStrings = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udc00y',
  '\ud83d\ude00',
  '\u202eevil',
  '\u200b',
  'e\u0301',
  '\uffff',
  '\ufeff',
  '\r\n',
  '%00',
  '%',
  '../../etc/passwd',
  "' OR '1'='1",
  '"; DROP TABLE accounts; --',
  '$1',
  '\\',
  '{{7*7}}',
  '<script>alert(1)</script>',
  'null',
  'true',
  '0',
  '-1',
  '1e400',
  'NaN',
  'Infinity',
  '-Infinity',
  '2026-02-30',
  '0000-00-00',
  '9999-12-31',
  '00000000-0000-0000-0000-000000000000',
  'MA00000000000000000000',
  '+14155550100',
  '::1',
  '0.0.0.0/0',
  'x'.repeat(41),
  'x'.repeat(257),
  'é'.repeat(2001),
];
const edgeNumbers = [0, -1, 1, 0.5, -0, 1e308, -1e308, 2 ** 53 + 1, 2 ** 31, -(2 ** 31) - 1, 100_001];
const oddValues = (): unknown[] => [
  null,
  true,
  false,
  [],
  {},
  [pick(edgeStrings)],
  { nested: pick(edgeStrings) },
  pick(edgeNumbers),
  pick(edgeStrings),
];

interface Schema {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  nullable?: boolean;
}

/** Plausible values for fields by name, so that valid-ish requests get past validation into the services. */
function plausibleString(name: string, schema: Schema): string {
  const lower = name.toLowerCase();
  if (schema.format === 'uuid') return uuid();
  if (lower.includes('email')) return uniqueEmail('fuzz');
  if (lower.includes('phone')) return uniquePhone();
  if (lower.includes('password')) return 'Violet-Harbor-Lantern-42';
  if (lower.includes('url') || lower === 'website' || lower.includes('entityid'))
    return 'https://acme-telecom.com/fuzz';
  if (lower.includes('country')) return pick(['US', 'GB', 'ZZ']);
  if (lower === 'cidr') return pick(['192.0.2.0/24', '2001:db8::/32', '10.0.0.1']);
  if (lower.includes('date') || lower === 'from' || lower === 'to') return pick(['2026-01-31', '2026-02-30']);
  if (lower === 'code') return String(below(1_000_000)).padStart(6, '0');
  if (lower.includes('channel')) return pick(['sms', 'voice']);
  const length = Math.min(schema.maxLength ?? 24, Math.max(schema.minLength ?? 1, 1 + below(12)));
  let text = '';
  while (text.length < length) text += 'abcdefghij0123456789'[below(20)];
  return text;
}

function validish(schema: Schema | undefined, name: string, depth = 0): unknown {
  if (!schema || depth > 6) return pick(edgeStrings);
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return pick(schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return validish(pick(alternatives), name, depth + 1);
  if (schema.nullable && chance(0.1)) return null;
  const type = Array.isArray(schema.type) ? pick(schema.type) : schema.type;
  switch (type) {
    case 'string':
      return plausibleString(name, schema);
    case 'integer':
    case 'number': {
      const low = schema.minimum ?? 0;
      const high = schema.maximum ?? low + 100;
      return low + below(Math.max(1, Math.min(high - low, 1_000) + 1));
    }
    case 'boolean':
      return chance(0.5);
    case 'null':
      return null;
    case 'array':
      return Array.from({ length: below(3) }, () => validish(schema.items, name, depth + 1));
    default: {
      const object: Record<string, unknown> = {};
      for (const [key, property] of Object.entries(schema.properties ?? {})) {
        if (schema.required?.includes(key) || chance(0.6)) object[key] = validish(property, key, depth + 1);
      }
      return object;
    }
  }
}

/** A valid-ish object broken in one or more ways. */
function broken(schema: Schema | undefined): unknown {
  const value = validish(schema, 'body');
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return pick(oddValues());
  const object = value as Record<string, unknown>;
  const keys = Object.keys(schema?.properties ?? {});
  for (let i = 0; i <= below(3); i++) {
    const key =
      keys.length && chance(0.8)
        ? pick(keys)
        : pick(['__proto__', 'constructor', 'id', 'account_id', 'role', 'status', 'x'.repeat(300), '\u0000']);
    switch (below(5)) {
      case 0:
        delete object[key];
        break;
      case 1:
        object[key] = pick(oddValues());
        break;
      case 2:
        object[key] = pick(edgeStrings);
        break;
      case 3:
        object[key] = 'x'.repeat(pick([1_000, 70_000]));
        break;
      default:
        object[key] = pick(edgeNumbers);
    }
  }
  return object;
}

/** Percent-encoding that also writes a lone surrogate (as the UTF-8 bytes of the code point, which no decoder accepts). */
const encoded = (text: string) => {
  try {
    return encodeURIComponent(text);
  } catch {
    return '%ED%A0%80';
  }
};

const nested = (depth: number) => `${'{"a":['.repeat(depth)}1${']}'.repeat(depth)}`;

/** A body as sent: JSON (valid-ish or broken), bad JSON, deep nesting, or another content type. */
function bodyFor(schema: Schema | undefined): { text?: string; contentType?: string } {
  const roll = below(20);
  if (roll < 7) return { text: JSON.stringify(validish(schema, 'body')), contentType: 'application/json' };
  if (roll < 13) return { text: JSON.stringify(broken(schema)), contentType: 'application/json' };
  if (roll === 13)
    return {
      text: pick([
        '{',
        '{"a":',
        '[1,]',
        'nul',
        '{"a":1}}',
        '\u0000',
        '{"a":"\\ud800"}',
        '{"a":"\\u0000"}',
        '',
      ]),
      contentType: 'application/json',
    };
  if (roll === 14) return { text: nested(pick([10, 20, 5_000])), contentType: 'application/json' };
  if (roll === 15) {
    const fields = validish(schema, 'body');
    const form = new URLSearchParams();
    if (fields && typeof fields === 'object')
      for (const [key, value] of Object.entries(fields)) form.append(key, String(value));
    form.append(pick(['a[b]', 'a', '__proto__']), pick(edgeStrings));
    return { text: form.toString(), contentType: 'application/x-www-form-urlencoded' };
  }
  if (roll === 16)
    return {
      text: JSON.stringify(validish(schema, 'body')),
      contentType: pick([
        'text/plain',
        'application/xml',
        'multipart/form-data; boundary=x',
        'application/json; charset=latin1',
        'application/x-www-form-urlencoded',
      ]),
    };
  if (roll === 17) return { text: JSON.stringify(validish(schema, 'body')) };
  if (roll === 18) return { text: JSON.stringify(pick(oddValues())), contentType: 'application/json' };
  return {};
}

interface Operation {
  method: string;
  path: string;
  key: string;
  door: 'console' | 'staff' | 'v1' | 'engine' | 'anonymous';
  parameters: { name: string; in: string; schema?: Schema; required?: boolean }[];
  body?: Schema;
}

interface Identities {
  /** An engine key, for the engine door. */
  engineKey: string;
  member: ConsoleClient;
  staff: ConsoleClient;
  main: { authId: string; authToken: string };
  sub: { authId: string; authToken: string };
  ids: Record<string, string[]>;
}

function pathValue(
  operation: Operation,
  name: string,
  caller: { authId: string },
  ids: Record<string, string[]>,
): string {
  if (operation.door === 'v1' && name === 'authId' && chance(0.9)) return caller.authId;
  const real = ids[`${operation.door === 'v1' ? 'v1' : 'console'}:${name}`] ?? ids[name] ?? [];
  if (real.length && chance(0.7)) return encodeURIComponent(pick(real));
  return pick([
    () => uuid(),
    () => String(below(10 ** 9)),
    () => encoded(pick(edgeStrings)) || 'x',
    () => '%00',
    () => '%ED%A0%80',
    () => 'x'.repeat(pick([41, 5_000])),
    () => '..%2F..%2F',
  ])();
}

function queryFor(operation: Operation): string {
  const search = new URLSearchParams();
  for (const parameter of operation.parameters.filter((p) => p.in === 'query')) {
    if (!parameter.required && chance(0.5)) continue;
    const roll = below(10);
    if (roll < 6) search.append(parameter.name, String(validish(parameter.schema, parameter.name)));
    else if (roll < 8) search.append(parameter.name, pick(edgeStrings));
    else {
      search.append(parameter.name, String(validish(parameter.schema, parameter.name)));
      search.append(parameter.name, pick(edgeStrings));
    }
  }
  if (chance(0.1)) search.append(pick(['a[b]', 'limit', 'offset', '__proto__', 'x']), pick(edgeStrings));
  let text = search.toString();
  const names = operation.parameters.filter((p) => p.in === 'query').map((p) => p.name);
  if (chance(0.1))
    text += `&${pick(names.length ? names : ['x'])}=${pick(['%00', '%ED%A0%80', '%FF', '%', '%E0%A4%A'])}`;
  return text ? `?${text.replace(/^&/, '')}` : '';
}

/** One request to send: its method, URL, headers and body, and a line saying what it was. */
function requestFor(operation: Operation, server: TestServer, who: Identities) {
  const headers: Record<string, string> = {};
  const caller = chance(0.7) ? who.main : who.sub;
  if (operation.door === 'engine') {
    headers.authorization = `Bearer ${who.engineKey}`;
  } else if (operation.door === 'v1') {
    headers.authorization = `Basic ${Buffer.from(`${caller.authId}:${caller.authToken}`).toString('base64')}`;
  } else if (operation.door !== 'anonymous') {
    const client = operation.door === 'staff' ? who.staff : who.member;
    headers.cookie = [...client.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    headers['x-csrf-token'] = client.csrfToken;
    headers['x-forwarded-for'] = client.ip;
  }
  const path = operation.path.replace(/\{(\w+)\}/g, (_match, name: string) =>
    pathValue(operation, name, caller, who.ids),
  );
  const url = `${server.url}${path}${queryFor(operation)}`;
  const { text, contentType } =
    operation.body || (operation.method !== 'GET' && chance(0.2)) ? bodyFor(operation.body) : {};
  if (contentType) headers['content-type'] = contentType;
  const body = operation.method === 'GET' || operation.method === 'HEAD' ? undefined : text;
  return { method: operation.method, url, headers, body };
}

/** What an answer must never contain: SQL, the database's words, a stack trace, our source files. */
const leaks = [
  /\bselect\b[^"]{0,200}\bfrom\b/i,
  /\binsert into\b/i,
  /\bupdate\s+"?\w+"?\s+set\b/i,
  /syntax error/i,
  /invalid input syntax/i,
  /violates .* constraint/i,
  /duplicate key/i,
  /node_modules/,
  /\n\s+at\s/,
  /\bat [\w.<>]+ \(.*:\d+:\d+\)/,
  /\.ts:\d+/,
  /PGlite|kysely|postgres error/i,
];

let server: TestServer;
let who: Identities;
let operations: Operation[];

beforeAll(async () => {
  server = await startTestServer({
    RATE_LIMIT_STANDARD: '1000000',
    RATE_LIMIT_LOOKUP: '1000000',
    RATE_LIMIT_MESSAGE: '1000000',
  });
  const created = async (answer: Promise<{ status: number; body: any }>) => {
    const { status, body } = await answer;
    expect(status, JSON.stringify(body)).toBe(201);
    return body;
  };
  const inventory = Array.from({ length: 3 }, () => freshUsNumber());
  await server.system.numbers.load(
    { ip: 'test', userAgent: null },
    `number,country_iso,type,region,voice,sms,monthly_rental\n${inventory.map((n) => `${n},US,local,"California, UNITED STATES",true,true,0.8`).join('\n')}\n`,
  );
  const [consoleNumber, apiNumber, freeNumber] = inventory as [string, string, string];

  // The console member's account: every kind of resource a console route addresses by id.
  const consoleAccount = await fundedAccount(server);
  const member = consoleAccount.client;
  const subaccount = await created(member.post('/api/subaccounts', { name: 'Branch' }));
  const application = await created(
    member.post('/api/applications', { app_name: 'IVR', answer_url: 'https://acme-telecom.com/answer' }),
  );
  const endpoint = await created(
    member.post('/api/endpoints', { username: 'desk', password: 'Sip-Phone-Secret-93', alias: 'Desk' }),
  );
  await created(member.post(`/api/numbers/${consoleNumber}`, {}));
  const invitation = await created(
    member.post('/api/team/invitations', { email: uniqueEmail(), role: 'support' }),
  );
  const entry = await created(member.post('/api/ip-whitelist', { cidr: '192.0.2.0/24' }));
  const token = await created(member.post('/api/credentials/tokens', { keepOldTokens: true }));
  const senderId = await created(
    member.post(`/api/subaccounts/${subaccount.authId}/sender-ids`, { senderId: 'ACME' }),
  );
  await server.system.invoices.issue(consoleAccount.accountId, '2026-01-01');
  const [invoice] = (await member.get('/api/billing/invoices')).body.invoices;

  // The /v1 account, used by the API alone: main and subaccount credentials, and its own resources.
  const apiOwner = await fundedAccount(server);
  const main = { authId: apiOwner.authId, authToken: apiOwner.authToken };
  const v1 = async (path: string, body: unknown) => {
    const response = await fetch(`${server.url}/v1/Account/${main.authId}${path}`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${main.authId}:${main.authToken}`).toString('base64')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify(body),
    });
    const answer = (await response.json()) as any;
    expect(response.status, JSON.stringify(answer)).toBeLessThan(300);
    return answer;
  };
  const caller = await v1('/Subaccount/', { name: 'Fuzz caller', enabled: true });
  const victim = await v1('/Subaccount/', { name: 'Fuzz victim', enabled: true });
  const apiApplication = await v1('/Application/', {
    app_name: 'Fuzz',
    answer_url: 'https://acme-telecom.com/a',
  });
  const apiEndpoint = await v1('/Endpoint/', {
    username: 'fuzz',
    password: 'Sip-Phone-Secret-93',
    alias: 'Fuzz',
  });
  await v1(`/PhoneNumber/${apiNumber}/`, {});

  // The staff member works on an account of its own, so a staff decision cannot stop the others.
  const staffTarget = await fundedAccount(server);
  const staff = await signInStaff(server, await setUpStaff(server, 'staff_admin'));

  who = {
    engineKey: (await server.system.engines.create({ ip: 'test', userAgent: null }, 'fuzz')).key,
    member,
    staff,
    main,
    sub: { authId: caller.auth_id, authToken: caller.auth_token },
    ids: {
      'console:authId': [subaccount.authId],
      appId: [application.appId],
      endpointId: [endpoint.endpointId],
      'console:number': [consoleNumber, freeNumber],
      invitationId: [invitation.id],
      entryId: [entry.id],
      tokenId: [token.id],
      senderIdId: [senderId.id],
      'console:id': [invoice.id],
      userId: [await userIdOf(member)],
      accountId: [staffTarget.accountId],
      subauthId: [victim.auth_id],
      'v1:appId': [apiApplication.app_id],
      'v1:endpointId': [apiEndpoint.endpoint_id],
      'v1:number': [apiNumber, freeNumber],
    },
  };

  const document = (await (await fetch(`${server.url}/docs/json`)).json()) as {
    paths: Record<string, Record<string, any>>;
  };
  operations = Object.entries(document.paths)
    .flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]): Operation => {
        const upper = method.toUpperCase();
        const route = path.replace(/\{(\w+)\}/g, ':$1');
        const rule = permissions[`${upper} ${route}`];
        const access = typeof rule === 'string' ? rule : rule?.access;
        const door = path.startsWith('/v1/')
          ? 'v1'
          : access === 'engine'
            ? 'engine'
            : access === 'public' || access === 'staff_public'
              ? 'anonymous'
              : access?.startsWith('staff')
                ? 'staff'
                : 'console';
        return {
          method: upper,
          path,
          key: `${upper} ${route}`,
          door,
          parameters: operation.parameters ?? [],
          body: operation.requestBody?.content?.['application/json']?.schema,
        };
      }),
    )
    .filter(
      (operation) =>
        !excluded.has(operation.key) &&
        (operation.path.startsWith('/api/') || operation.path.startsWith('/v1/')),
    );
}, 180_000);
afterAll(() => server?.stop());

describe('the OpenAPI fuzz suite', () => {
  it(`answers ${requestCount} generated requests without a 5xx, a leak or going down`, async () => {
    const doors = new Set(operations.map((operation) => operation.door));
    expect([...doors].sort()).toEqual(['anonymous', 'console', 'engine', 'staff', 'v1']);
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    let serverErrors = 0;
    let sent = 0;
    const started = performance.now();
    const worker = async () => {
      while (sent < requestCount && failures.length < 20) {
        sent++;
        const operation = pick(operations);
        const request = requestFor(operation, server, who);
        const described = `${request.method} ${request.url.replace(server.url, '')} [${request.headers['content-type'] ?? 'no content type'}] ${request.body?.slice(0, 300) ?? ''}`;
        try {
          const response = await fetch(request.url, {
            method: request.method,
            headers: request.headers,
            body: request.body,
            signal: AbortSignal.timeout(20_000),
          });
          const text = await response.text();
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          if (response.status >= 500) {
            serverErrors++;
            failures.push(`${response.status} for ${described}\n  → ${text.slice(0, 300)}`);
          } else {
            const leak = leaks.find((pattern) => pattern.test(text));
            if (leak) failures.push(`${leak} in the answer to ${described}\n  → ${text.slice(0, 500)}`);
          }
        } catch (error) {
          failures.push(`no answer (${(error as Error).message}) to ${described}`);
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const seconds = (performance.now() - started) / 1000;
    const byStatus = [...statuses].sort(([a], [b]) => a - b).map(([status, count]) => `${status}: ${count}`);
    console.log(
      `fuzz (${testTarget}): ${sent} requests over ${operations.length} operations in ${seconds.toFixed(1)} s, ${serverErrors} 5xx (seed ${seed}); ${byStatus.join(', ')}`,
    );

    // Still up, and the fuzz session still signed in.
    expect((await who.member.get('/api/me')).status).toBe(200);
    expect((await who.staff.get('/api/staff/session')).status).toBe(200);
    expect(failures, `FUZZ_SEED=${seed} replays this run:\n${failures.join('\n')}`).toEqual([]);
    expect(sent).toBeGreaterThanOrEqual(requestCount);
  }, 300_000);
});
