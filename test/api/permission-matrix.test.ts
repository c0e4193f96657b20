import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/db/schema.js';
import { permissions, type Rule } from '../../src/http/permissions.js';
import { NumberErrors } from '../../src/modules/numbers/errors.js';
import { type apiAccount, fundedAccount } from '../support/api-account.js';
import type { ConsoleClient } from '../support/browser-client.js';
import { loadTestPrices, testEngine } from '../support/engine-usage.js';
import { makeTestCa } from '../support/identity-providers.js';
import { uniqueEmail } from '../support/journeys.js';
import { loadSmsPrices, usDestination } from '../support/messaging.js';
import { freshUsNumber } from '../support/phone-numbers.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { invitedMember } from '../support/team.js';
import { testCardToken } from '../support/test-gateway.js';
import { answerCall, ringingCall, sipPrices } from '../support/voice.js';

/**
 * Every console route restricted by role, called as each of the five roles: allowed roles get past
 * the permission check, every other role is refused with 403 role_not_permitted. A member of another
 * account addressing this account's real resources by id is refused and changes nothing. The table
 * itself is the source: a new route joins this matrix through its entry (and permission-table.test.ts
 * fails without one).
 */
const roles: Role[] = ['owner', 'admin', 'developer', 'support', 'financial_analyst'];

/**
 * Routes any signed-in member may call whatever their role: they act on the person themselves (their
 * profile, factors and session), never on the account. An account-scoped route belongs in the role
 * matrix instead, so adding one here needs a reason.
 */
const personalRoutes = [
  'POST /api/session/reauthenticate',
  'POST /api/session/account',
  'GET /api/me',
  'PATCH /api/profile',
  'POST /api/profile/email',
  'POST /api/profile/password',
  'GET /api/security',
  'GET /api/security/sign-ins',
  'POST /api/security/phone-code',
  'POST /api/security/authenticator',
  'POST /api/security/authenticator/verify-phone',
  'POST /api/security/authenticator/confirm',
  'DELETE /api/security/authenticator',
  'PUT /api/security/phone-factor',
  'POST /api/security/recovery-codes',
  'GET /api/security/passkeys',
  'POST /api/security/passkeys/options',
  'POST /api/security/passkeys',
  'PATCH /api/security/passkeys/:passkeyId',
  'DELETE /api/security/passkeys/:passkeyId',
  'POST /api/security/phone-change',
  'POST /api/security/phone-change/number',
  'POST /api/security/phone-change/verify',
  // Not personal, but for everyone: whether the account is out of credit (the console's banner), no amounts.
  'GET /api/credit',
  // The account's suspension notice, for every member of a suspended account.
  'GET /api/account/suspension',
  // Not personal, but for everyone: the inactive account policy on the Security page (its numbers, last activity).
  'GET /api/security/inactivity-policy',
];

/** A body the route accepts, so that a refusal comes from who calls it and not from validation. */
const validBodies: Record<string, unknown> = {
  // Refused by validation on purpose: securing the account would sign every other role out of this matrix.
  'POST /api/security/secure-account': { includeSubaccounts: 'not a yes or no' },
  'PUT /api/team/members/:userId/role': { role: 'support' },
  'PATCH /api/subaccounts/:authId': { name: 'Taken over' },
  'POST /api/subaccounts/:authId/tokens': { keepOldTokens: false },
  'POST /api/subaccounts/:authId/sender-ids': { senderId: 'HIJACK' },
  'PATCH /api/applications/:appId': { app_name: 'Taken over' },
  'PATCH /api/endpoints/:endpointId': { alias: 'Taken over' },
  'PATCH /api/numbers/:number': { alias: 'Taken over' },
  'POST /api/tickets/:ticketNumber/replies': { body: 'Taken over' },
  'PUT /api/subaccounts/:authId/limits': {
    maxSessions: 0,
    maxDestinationRate: null,
    dailySpendCap: '0.01',
    monthlySpendCap: null,
  },
};

/**
 * How a route refuses another account's resource: 404, as if it did not exist. Renting a number
 * someone already rents is a refused operation (400 number_not_available, docs/decisions.md).
 */
const outsiderRefusals: Record<string, [number, string]> = {
  'POST /api/numbers/:number': [400, NumberErrors.notAvailable],
  // The voice module's code for a call it does not know, on the engine door and the console alike.
  'GET /api/voice/calls/:callUuid': [404, 'unknown_call'],
  'POST /api/voice/calls/:callUuid/hangup': [404, 'unknown_call'],
};

let server: TestServer;
let clients: Record<Role, ConsoleClient>;
let outsider: ConsoleClient;
let ids: Record<string, string>;
let account: Awaited<ReturnType<typeof apiAccount>>;

/** The account's resources as its owner sees them on every page that lists them. */
async function everythingTheOwnerSees() {
  const owner = clients.owner;
  const pages = [
    '/api/team',
    '/api/subaccounts',
    `/api/subaccounts/${ids.authId}/sender-ids`,
    '/api/messaging/sender-ids',
    '/api/applications',
    '/api/endpoints',
    '/api/numbers',
    '/api/credentials',
    '/api/credentials/api-keys',
    '/api/ip-whitelist',
    '/api/sso',
    '/api/billing/payment-settings',
    '/api/billing/payments',
    '/api/billing/invoices',
    '/api/limits',
    '/api/tickets',
    `/api/tickets/${ids.ticketNumber}`,
    '/api/voice/calls',
  ];
  const seen: Record<string, unknown> = {};
  for (const page of pages) {
    const answer = await owner.get(page);
    expect(answer.status, page).toBe(200);
    seen[page] = answer.body;
  }
  return seen;
}

beforeAll(async () => {
  server = await startTestServer();
  account = await fundedAccount(server);
  const owner = account.client;
  const members = {
    admin: await invitedMember(server, owner, 'admin'),
    developer: await invitedMember(server, owner, 'developer'),
    support: await invitedMember(server, owner, 'support'),
    financial_analyst: await invitedMember(server, owner, 'financial_analyst'),
  };
  clients = {
    owner,
    ...Object.fromEntries(Object.entries(members).map(([role, m]) => [role, m.client])),
  } as Record<Role, ConsoleClient>;
  outsider = (await fundedAccount(server)).client;

  // One real resource of every kind a route addresses by id, all in this account.
  const created = async (answer: Promise<{ status: number; body: any }>) => {
    const { status, body } = await answer;
    expect(status, JSON.stringify(body)).toBe(201);
    return body;
  };
  const invitation = await created(
    owner.post('/api/team/invitations', { email: uniqueEmail(), role: 'support' }),
  );
  const entry = await created(owner.post('/api/ip-whitelist', { cidr: '192.0.2.0/24' }));
  const token = await created(owner.post('/api/credentials/tokens', { keepOldTokens: true }));
  const apiKey = await created(
    owner.post('/api/credentials/api-keys', { name: 'Reports', fullAccess: true }),
  );
  const subaccount = await created(owner.post('/api/subaccounts', { name: 'Branch' }));
  const senderId = await created(
    owner.post(`/api/subaccounts/${subaccount.authId}/sender-ids`, { senderId: 'ACME' }),
  );
  const application = await created(
    owner.post('/api/applications', { app_name: 'IVR', answer_url: 'https://acme-telecom.com/answer' }),
  );
  const endpoint = await created(
    owner.post('/api/endpoints', { username: 'desk', password: 'Sip-Phone-Secret-93', alias: 'Desk' }),
  );
  const number = freshUsNumber();
  await server.system.numbers.load(
    { ip: 'test', userAgent: null },
    `number,country_iso,type,region,voice,sms,monthly_rental\n${number},US,local,"California, UNITED STATES",true,true,0.8\n`,
  );
  await created(owner.post(`/api/numbers/${number}`, {}));
  await loadSmsPrices(server);
  const message = await owner.post('/api/messaging/messages', {
    src: number,
    dst: usDestination(),
    text: 'Hello',
  });
  expect(message.status, JSON.stringify(message.body)).toBe(202);
  await server.system.sso.setEnabled(
    { ip: 'test', userAgent: null },
    account.accountId,
    true,
    'Enterprise plan',
  );
  const connection = await created(
    owner.post('/api/sso/connections', {
      protocol: 'saml',
      entityId: 'https://idp.acme-telecom.com/saml',
      ssoUrl: 'https://idp.acme-telecom.com/sso',
      certificate: makeTestCa().caCert,
    }),
  );
  const method = await created(
    owner.post('/api/billing/payment-methods', { proof: await testCardToken(server, owner) }),
  );
  const payment = await created(
    owner.post('/api/billing/recharges', {
      amount: '10.00',
      paymentMethodId: method.id,
      requestKey: randomUUID(),
    }),
  );
  await server.system.invoices.issue(account.accountId, '2026-01-01');
  const invoice = await server.system.database.db
    .selectFrom('invoices')
    .select('id')
    .where('account_id', '=', account.accountId)
    .executeTakeFirstOrThrow();
  const ticket = await created(
    owner.post('/api/tickets', {
      email: account.email,
      subject: 'Calls drop',
      description: 'See the log.',
      category: 'technical',
      priority: 'high',
      attachments: [{ fileName: 'calls.log', content: Buffer.from('503 at 10:00\n').toString('base64') }],
    }),
  );
  const attachment = (await owner.get(`/api/tickets/${ticket.number}`)).body.messages[0].attachments[0];
  // An answered call between the account's endpoints, as its SIP server reports it.
  const engine = await testEngine(server);
  await loadTestPrices(server, sipPrices);
  const phone = await created(
    owner.post('/api/endpoints', { username: 'phone', password: 'Sip-Phone-Secret-93', alias: 'Phone' }),
  );
  const callUuid = await ringingCall(server, engine.key, endpoint.username, phone.username);
  await answerCall(server, engine.key, callUuid);
  ids = {
    ticketNumber: ticket.number,
    attachmentId: attachment.id,
    id: invoice.id,
    methodId: method.id,
    paymentId: payment.id,
    userId: members.developer.userId,
    invitationId: invitation.id,
    entryId: entry.id,
    tokenId: token.id,
    keyId: apiKey.keyId,
    authId: subaccount.authId,
    senderIdId: senderId.id,
    appId: application.appId,
    endpointId: endpoint.endpointId,
    number,
    connectionId: connection.connection.id,
    messageUuid: message.body.messageUuids[0],
    callUuid,
  };
}, 120_000);
afterAll(() => server.stop());

const restricted = Object.entries(permissions).filter(
  (entry): entry is [string, Rule & { roles: readonly Role[] }] =>
    typeof entry[1] !== 'string' && Boolean(entry[1].roles),
);

function call(client: ConsoleClient, key: string, params: (name: string) => string) {
  const [method = 'GET', url = ''] = key.split(' ');
  const path = url.replace(/:(\w+)/g, (_match, name: string) => params(name));
  return client.request(
    method,
    path,
    method === 'GET' || method === 'DELETE' ? undefined : (validBodies[key] ?? {}),
  );
}

describe('the permission matrix of the console API', () => {
  it('covers every role-restricted route', () => {
    expect(restricted.length).toBeGreaterThanOrEqual(15);
  });

  it('lets every member of the account call only personal routes without a role check', () => {
    const roleless = Object.entries(permissions)
      .filter(
        ([, rule]) =>
          rule === 'member' || (typeof rule !== 'string' && rule.access === 'member' && !rule.roles),
      )
      .map(([key]) => key);
    expect(roleless.filter((key) => !personalRoutes.includes(key))).toEqual([]);
    expect(personalRoutes.filter((key) => !roleless.includes(key))).toEqual([]);
  });

  for (const [key, rule] of restricted) {
    it(`${key}: allows ${rule.roles.join(', ')}, refuses the other roles`, async () => {
      for (const role of roles) {
        const answer = await call(clients[role], key, () => randomUUID());
        if (rule.roles.includes(role)) {
          expect(answer.body?.code, `${role} ${key}`).not.toBe('role_not_permitted');
          expect(answer.status, `${role} ${key}`).not.toBe(401);
        } else {
          expect([answer.status, answer.body?.code], `${role} ${key}`).toEqual([403, 'role_not_permitted']);
        }
      }
    });
  }

  it('never lets a member of another account act on this account’s resources by id, and nothing changes', async () => {
    const withIds = restricted.filter(([key]) => key.includes(':'));
    expect(withIds.length).toBeGreaterThanOrEqual(20);
    const before = await everythingTheOwnerSees();
    for (const [key] of withIds) {
      const answer = await call(outsider, key, (name) => {
        const id = ids[name];
        if (!id) throw new Error(`${key}: make a real resource for :${name} in beforeAll`);
        return id;
      });
      const [status, code] = outsiderRefusals[key] ?? [404, expect.stringMatching(/_not_found$/)];
      expect([answer.status, answer.body?.code], `${key} → ${JSON.stringify(answer.body)}`).toEqual([
        status,
        code,
      ]);
    }
    expect(await everythingTheOwnerSees()).toEqual(before);
  });

  it('refuses staff routes to a customer session', async () => {
    for (const [key, rule] of Object.entries(permissions)) {
      const access = typeof rule === 'string' ? rule : rule.access;
      if (access !== 'staff') continue;
      const answer = await call(clients.owner, key, () => randomUUID());
      expect(answer.status, key).toBe(401);
    }
  });
});
