import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type apiAccount, fundedAccount, holdForReview } from '../support/api-account.js';
import { type ConsoleClient, uniqueIp } from '../support/browser-client.js';
import { makeTestCa } from '../support/identity-providers.js';
import { setUpStaff, signInStaff, strongPassword, uniqueEmail, userIdOf } from '../support/journeys.js';
import { loadSmsPrices } from '../support/messaging.js';
import { freshUsNumber } from '../support/phone-numbers.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { invitedMember } from '../support/team.js';
import { testCardToken } from '../support/test-gateway.js';

/**
 * The class-closing test for mass assignment. Every route with a request body (read from the
 * OpenAPI document, so a new route joins by existing) is called with a valid body plus every column
 * name of every table, each set to a value nothing else would write (and, separately, `__proto__`
 * and `constructor`). Afterwards no row anywhere holds one of those values, and no yes/no column
 * of an existing row changed unless the route documents that change.
 */

type Caller = 'owner' | 'anonymous' | 'staff' | 'v1' | 'engine';
interface Case {
  /** The documented fields; what they name may change. */
  body: Record<string, unknown>;
  /** Who calls: the owner's console session (default for /api), nobody, a staff session, the main account's credentials (/v1). */
  as?: Caller;
  /** The answer the valid body gets (unknown fields must not change it). */
  expect: number;
  /** Path parameters of a resource made for this call (for routes that consume what they address). */
  prepare?: () => Promise<Record<string, string>>;
  /** Yes/no columns ("table.column") the route may change in existing rows. */
  mayChange?: string[];
  /** Body fields naming a resource made for this call (a saved card, a gateway's token). */
  prepareBody?: () => Promise<Record<string, unknown>>;
}

let server: TestServer;
let owner: Awaited<ReturnType<typeof apiAccount>>;
let staff: ConsoleClient;
let fixture: Record<string, string>;

const text = 'mass-assigned';
const uuid = '0badc0de-0000-4000-8000-00000000dead';
const timestamp = '1999-12-31T12:34:56.000Z';
const day = '1999-12-31';
const integer = 987_654_321;

const created = async (answer: Promise<{ status: number; body: any }>, status = 201) => {
  const { status: got, body } = await answer;
  expect(got, JSON.stringify(body)).toBe(status);
  return body;
};

async function loadNumber() {
  const number = freshUsNumber();
  await server.system.numbers.load(
    { ip: 'test', userAgent: null },
    `number,country_iso,type,region,voice,sms,monthly_rental\n${number},US,local,"California, UNITED STATES",true,true,0.8\n`,
  );
  return number;
}

/** A ticket of the owner's account, for the routes that address one. */
async function ticketOfOwner() {
  const ticket = await server.system.support.create(
    { ip: 'test', userAgent: null },
    {
      email: uniqueEmail('member'),
      subject: 'Help',
      description: 'Please',
      category: 'other',
      priority: 'normal',
    },
    { accountId: owner.accountId, userId: await userIdOf(owner.client) },
  );
  return ticket.number;
}

/** A suspicious-activity flag of an account of its own, open, as the hourly rules leave one. */
async function suspiciousActivityFlag() {
  const id = randomUUID();
  await server.system.database.db
    .insertInto('suspicious_activity_flags')
    .values({
      id,
      account_id: (await fundedAccount(server)).accountId,
      rule: 'spend_spike',
      day: '2026-01-01',
      figures: JSON.stringify({
        dayMicros: '60000000',
        averageMicros: '1000000',
        factor: 10,
        currency: 'USD',
      }),
      created_at: new Date(),
    })
    .execute();
  return id;
}

/** Passkey credentials of the right shape (what the browser sends), answering no challenge of the server's. */
const registrationShape = {
  id: 'Y3JlZGVudGlhbA',
  rawId: 'Y3JlZGVudGlhbA',
  type: 'public-key',
  clientExtensionResults: {},
  response: { clientDataJSON: 'e30', attestationObject: 'oA', transports: ['internal'] },
};
const assertionShape = {
  id: 'Y3JlZGVudGlhbA',
  rawId: 'Y3JlZGVudGlhbA',
  type: 'public-key',
  clientExtensionResults: {},
  response: { clientDataJSON: 'e30', authenticatorData: 'AA', signature: 'AA' },
};

const cases: Record<string, Case> = {
  'POST /api/signup': {
    as: 'anonymous',
    body: { name: 'Grace Hopper', email: uniqueEmail('grace'), password: strongPassword },
    expect: 201,
  },
  'POST /api/password-check': { as: 'anonymous', body: { password: strongPassword }, expect: 200 },
  'POST /api/email-verification': { as: 'anonymous', body: { token: 'x'.repeat(43) }, expect: 404 },
  'POST /api/onboarding/phone': {
    as: 'anonymous',
    body: { phone: '+14155550100', channel: 'sms' },
    expect: 401,
  },
  'POST /api/onboarding/phone/verify': { as: 'anonymous', body: { code: '123456' }, expect: 401 },
  'POST /api/onboarding/business-profile': {
    as: 'anonymous',
    body: { companyName: 'Acme', country: 'US' },
    expect: 401,
  },
  'POST /api/session': {
    as: 'anonymous',
    body: { email: uniqueEmail(), password: strongPassword },
    expect: 401,
  },
  'POST /api/session/phone-code': { as: 'anonymous', body: { channel: 'sms' }, expect: 401 },
  'POST /api/session/second-factor': {
    as: 'anonymous',
    body: { method: 'totp', code: '123456' },
    expect: 401,
  },
  'POST /api/session/reauthenticate': { body: { password: strongPassword }, expect: 204 },
  'POST /api/session/new-password': { as: 'anonymous', body: { password: strongPassword }, expect: 401 },
  'POST /api/password-reset': { as: 'anonymous', body: { email: uniqueEmail() }, expect: 202 },
  'POST /api/password-reset/complete': {
    as: 'anonymous',
    body: { token: 'x'.repeat(43), password: strongPassword },
    expect: 404,
  },
  'PATCH /api/profile': { body: { name: 'Ada King' }, expect: 204 },
  'POST /api/profile/email': { body: { email: uniqueEmail('new') }, expect: 202 },
  'POST /api/email-change/confirm': { as: 'anonymous', body: { token: 'x'.repeat(43) }, expect: 404 },
  'POST /api/profile/password': {
    body: { currentPassword: 'Not-The-Password-11', newPassword: 'Another-Strong-Pass-77' },
    expect: 400,
  },
  'POST /api/security/phone-code': { body: { channel: 'sms' }, expect: 202 },
  'POST /api/security/authenticator': { body: { channel: 'sms' }, expect: 202 },
  'POST /api/security/authenticator/verify-phone': { body: { code: '000000' }, expect: 400 },
  'POST /api/security/authenticator/confirm': { body: { code: '000000' }, expect: 409 },
  'PUT /api/security/phone-factor': {
    body: { enabled: true },
    expect: 204,
    mayChange: ['users.phone_factor_enabled'],
  },
  'POST /api/security/phone-change': { body: { method: 'phone', code: '000000' }, expect: 400 },
  'POST /api/security/phone-change/number': { body: { phone: '+14155550101', channel: 'sms' }, expect: 404 },
  'POST /api/security/phone-change/verify': { body: { code: '000000' }, expect: 404 },
  'POST /api/security/passkeys': {
    body: { name: 'Work laptop', credential: registrationShape },
    expect: 410,
  },
  'PATCH /api/security/passkeys/{passkeyId}': {
    body: { name: 'Phone' },
    expect: 404,
    prepare: async () => ({ passkeyId: randomUUID() }),
  },
  'POST /api/session/passkey': { as: 'anonymous', body: { credential: assertionShape }, expect: 401 },
  'POST /api/passkey-sign-in': { as: 'anonymous', body: { credential: assertionShape }, expect: 401 },
  'POST /api/credentials/tokens': { body: { keepOldTokens: true }, expect: 201 },
  'POST /api/credentials/api-keys': {
    body: { name: 'Reports', fullAccess: false, grants: { Usage: ['read'] } },
    expect: 201,
  },
  'POST /api/ip-whitelist': { body: { cidr: '192.0.2.0/24' }, expect: 201 },
  'PUT /api/ip-whitelist/enabled': {
    body: { enabled: false },
    expect: 204,
    mayChange: ['accounts.ip_whitelist_enabled'],
  },
  'POST /api/team/invitations': { body: { email: uniqueEmail('invitee'), role: 'support' }, expect: 201 },
  'PUT /api/team/members/{userId}/role': { body: { role: 'support' }, expect: 204 },
  'POST /api/invitations/accept': {
    as: 'anonymous',
    body: { token: 'x'.repeat(43), name: 'Nobody', password: strongPassword },
    expect: 404,
  },
  'POST /api/session/account': { body: { accountId: uuid.replace('dead', 'beef') }, expect: 404 },
  'POST /api/subaccounts': { body: { name: 'Branch two', enabled: true }, expect: 201 },
  'PATCH /api/subaccounts/{authId}': { body: { name: 'Branch renamed' }, expect: 204 },
  'POST /api/subaccounts/{authId}/tokens': { body: { keepOldTokens: true }, expect: 201 },
  'POST /api/subaccounts/{authId}/sender-ids': { body: { senderId: 'ACMEIN' }, expect: 201 },
  'POST /api/messaging/sender-ids': { body: { senderId: 'ACMEMAIN' }, expect: 201 },
  'POST /api/messaging/messages': {
    body: { src: 'replaced by prepareBody', dst: '14155550100', text: 'Hello from the console' },
    expect: 202,
    prepareBody: async () => ({ src: fixture.number }),
  },
  'POST /api/applications': { body: { app_name: 'Console IVR' }, expect: 201 },
  'PATCH /api/applications/{appId}': { body: { app_name: 'Console IVR 2' }, expect: 204 },
  'POST /api/endpoints': {
    body: { username: 'frontdesk', password: 'Sip-Phone-Secret-93', alias: 'Front desk' },
    expect: 201,
  },
  'PATCH /api/endpoints/{endpointId}': { body: { alias: 'Desk 2' }, expect: 204 },
  'POST /api/numbers/{number}': {
    body: {},
    expect: 201,
    prepare: async () => ({ number: await loadNumber() }),
  },
  'PATCH /api/numbers/{number}': { body: { alias: 'Sales line' }, expect: 204 },
  'POST /api/staff/setup': {
    as: 'anonymous',
    body: { token: 'x'.repeat(43), password: strongPassword, code: '123456' },
    expect: 404,
  },
  'POST /api/staff/session': {
    as: 'anonymous',
    body: { email: uniqueEmail('staff'), password: strongPassword },
    expect: 401,
  },
  'POST /api/staff/session/second-factor': { as: 'anonymous', body: { code: '123456' }, expect: 401 },
  'POST /api/staff/session/passkey': { as: 'anonymous', body: { credential: assertionShape }, expect: 401 },
  'POST /api/staff/passkey-sign-in': { as: 'anonymous', body: { credential: assertionShape }, expect: 401 },
  'POST /api/staff/session/reauthenticate': { as: 'staff', body: { code: '000000' }, expect: 400 },
  'POST /api/staff/security/passkeys': {
    as: 'staff',
    body: { name: 'Security key', credential: registrationShape },
    expect: 410,
  },
  'PATCH /api/staff/security/passkeys/{passkeyId}': {
    as: 'staff',
    body: { name: 'Key' },
    expect: 404,
    prepare: async () => ({ passkeyId: randomUUID() }),
  },
  'PUT /api/staff/accounts/{accountId}/rate-limits': {
    as: 'staff',
    body: { standard: 30, reason: 'Enterprise plan' },
    expect: 200,
  },
  'POST /api/staff/reviews/{accountId}/decision': {
    as: 'staff',
    body: { decision: 'approve', note: 'Looks fine' },
    expect: 200,
    prepare: async () => {
      const held = await fundedAccount(server);
      await holdForReview(server, held.accountId);
      return { accountId: held.accountId };
    },
  },
  'POST /api/staff/numbers': {
    as: 'staff',
    body: {
      csv: `number,country_iso,type,region,voice,sms,monthly_rental\n${freshUsNumber()},US,local,"California, UNITED STATES",true,true,0.8\n`,
    },
    expect: 200,
  },
  'POST /api/sso/connections': {
    body: {
      protocol: 'saml',
      entityId: 'https://idp.acme-telecom.com/saml',
      ssoUrl: 'https://idp.acme-telecom.com/sso',
      certificate: makeTestCa().caCert,
    },
    expect: 201,
  },
  'PUT /api/sso/settings': { body: { jitRole: 'developer' }, expect: 200 },
  'POST /api/sso/start': { as: 'anonymous', body: { email: uniqueEmail() }, expect: 404 },
  'POST /api/sso/saml/acs': { as: 'anonymous', body: { SAMLResponse: 'bm90IHhtbA==' }, expect: 303 },
  'PUT /api/staff/accounts/{accountId}/sso': {
    as: 'staff',
    body: { enabled: true, reason: 'Enterprise plan' },
    expect: 200,
  },
  'POST /api/staff/accounts/{accountId}/credits': {
    as: 'staff',
    body: { amount: '5.00', reason: 'Goodwill', idempotency_key: 'mass-assignment-credit' },
    expect: 200,
  },
  'POST /api/staff/prices': {
    as: 'staff',
    body: { csv: 'country_iso,product,direction,rate\nUS,voice,outbound,0.012\n' },
    expect: 200,
  },
  'PUT /api/billing/usage/email': {
    body: { enabled: true },
    expect: 200,
    mayChange: ['memberships.usage_summary_email'],
  },
  'PUT /api/audit/webhook': { body: { url: 'http://127.0.0.1:9/audit' }, expect: 200 },
  'PUT /api/billing/alerts': {
    body: { customThresholds: ['50'], emails: ['ops@acme-telecom.com'], webhookUrl: null },
    expect: 200,
  },
  'POST /api/staff/engines': { as: 'staff', body: { name: 'mass-engine' }, expect: 201 },
  'POST /api/engine/usage': {
    as: 'engine',
    body: {
      events: [
        {
          id: 'mass-event',
          account: 'MA00000000000000NONE',
          product: 'sms',
          direction: 'outbound',
          from: '+14155550100',
          to: '+12125550123',
          quantity: 1,
          started_at: '2026-11-20T09:00:00Z',
        },
      ],
    },
    expect: 200,
  },
  'POST /api/engine/sessions': {
    as: 'engine',
    body: {
      id: 'mass-session',
      account: 'MA00000000000000NONE',
      product: 'sms',
      direction: 'outbound',
      from: '+14155550100',
      to: '+12125550123',
      units: 1,
    },
    expect: 404,
  },
  'POST /api/engine/sessions/{id}/extend': {
    as: 'engine',
    body: { used_seconds: 30 },
    expect: 404,
    prepare: async () => ({ id: 'mass-no-session' }),
  },
  'POST /api/engine/sessions/{id}/end': {
    as: 'engine',
    body: { seconds: 30, ended_at: '2026-11-20T09:00:30Z' },
    expect: 404,
    prepare: async () => ({ id: 'mass-no-session' }),
  },
  'POST /api/engine/sip/digest': {
    as: 'engine',
    body: { username: 'mass-nobody', realm: 'sip.localhost' },
    expect: 404,
  },
  'POST /api/engine/sip/registrations': {
    as: 'engine',
    body: { username: 'mass-nobody', contact: '<sip:mass-nobody@127.0.0.1:5071>', expires: 60 },
    expect: 404,
  },
  'POST /api/engine/calls': {
    as: 'engine',
    body: {
      sip_call_id: 'mass-call',
      from_user: null,
      from: '14155550100',
      to: '14155550199',
      source_ip: '203.0.113.9',
    },
    expect: 403,
  },
  'POST /api/engine/calls/{callUuid}/answer': {
    as: 'engine',
    body: { h_entry: 1, h_id: 2 },
    expect: 404,
    prepare: async () => ({ callUuid: '00000000-0000-4000-8000-000000000000' }),
  },
  'POST /api/engine/calls/{callUuid}/end': {
    as: 'engine',
    body: { hangup_cause: 'NORMAL_CLEARING', hangup_source: 'caller' },
    expect: 404,
    prepare: async () => ({ callUuid: '00000000-0000-4000-8000-000000000000' }),
  },
  'PUT /api/staff/engines/{engineId}/disconnect': {
    as: 'staff',
    body: { url: 'http://10.0.0.9:8088/disconnect' },
    expect: 200,
    prepare: async () => ({
      engineId: (
        await server.system.engines.create(
          { ip: 'test', userAgent: null },
          `mass-${randomUUID().slice(0, 8)}`,
        )
      ).engineId,
    }),
  },
  'PUT /api/staff/accounts/{accountId}/credit-limits': {
    as: 'staff',
    body: { maxSessions: 50, maxDestinationRate: '0.50' },
    expect: 200,
  },
  'POST /api/support/tickets': {
    as: 'anonymous',
    body: {
      email: uniqueEmail('visitor'),
      subject: 'Calls drop',
      description: 'After 30 seconds.',
      category: 'technical',
      priority: 'normal',
    },
    expect: 201,
  },
  'POST /api/support/status': {
    as: 'anonymous',
    body: { number: 'T-000001', email: uniqueEmail('visitor') },
    expect: 202,
  },
  'POST /api/support/access': { as: 'anonymous', body: { token: 'x'.repeat(43) }, expect: 404 },
  'POST /api/support/access/replies': { as: 'anonymous', body: { body: 'More details' }, expect: 404 },
  'POST /api/tickets': {
    body: {
      email: uniqueEmail('member'),
      subject: 'Invoice question',
      description: 'Why two lines?',
      category: 'billing',
      priority: 'low',
    },
    expect: 201,
  },
  'POST /api/tickets/{ticketNumber}/replies': {
    body: { body: 'More details' },
    expect: 200,
    prepare: async () => ({ ticketNumber: await ticketOfOwner() }),
  },
  'POST /api/staff/tickets/{ticketNumber}/replies': {
    as: 'staff',
    body: { body: 'Looking into it', internal: false, status: 'waiting_on_customer' },
    expect: 200,
    prepare: async () => ({ ticketNumber: await ticketOfOwner() }),
  },
  'PUT /api/staff/tickets/{ticketNumber}/status': {
    as: 'staff',
    body: { status: 'solved' },
    expect: 200,
    prepare: async () => ({ ticketNumber: await ticketOfOwner() }),
  },
  'PUT /api/staff/tickets/{ticketNumber}/assignee': {
    as: 'staff',
    body: { assigneeId: null },
    expect: 200,
    prepare: async () => ({ ticketNumber: await ticketOfOwner() }),
  },
  'PUT /api/subaccounts/{authId}/limits': {
    body: { maxSessions: 5, maxDestinationRate: null, dailySpendCap: '10.00', monthlySpendCap: null },
    expect: 200,
  },
  'POST /api/account/reinstatement-request': { body: { message: 'We fixed it.' }, expect: 409 },
  'POST /api/staff/accounts/{accountId}/suspend': {
    as: 'staff',
    body: { reason: 'compliance_issue', details: 'Send your registration.' },
    expect: 200,
    prepare: async () => ({ accountId: (await fundedAccount(server)).accountId }),
  },
  // A wrong password: the account stays open for the other routes.
  'POST /api/account/closure': {
    body: { password: 'Not-The-Password-1', method: 'phone', code: '000000' },
    expect: 400,
  },
  'POST /api/staff/accounts/{accountId}/close': {
    as: 'staff',
    body: { note: 'Closed at the customer’s written request.' },
    expect: 200,
    prepare: async () => ({ accountId: (await fundedAccount(server)).accountId }),
  },
  'POST /api/staff/accounts/{accountId}/reinstate': {
    as: 'staff',
    body: { note: 'Registration received.' },
    expect: 204,
    prepare: async () => {
      const held = await fundedAccount(server);
      await server.system.suspensions.suspend(
        { ip: 'test', userAgent: null, staffId: null },
        held.accountId,
        {
          reason: 'compliance_issue',
          details: 'Send your registration.',
        },
      );
      return { accountId: held.accountId };
    },
  },
  'POST /api/staff/suspicious-activity/{flagId}/clear': {
    as: 'staff',
    body: { note: 'A planned campaign.' },
    expect: 204,
    prepare: async () => ({ flagId: await suspiciousActivityFlag() }),
  },
  'POST /v1/Account/{authId}/': { as: 'v1', body: { city: 'Pune' }, expect: 200 },
  'POST /v1/Account/{authId}/Subaccount/': {
    as: 'v1',
    body: { name: 'API branch', enabled: true },
    expect: 200,
  },
  'POST /v1/Account/{authId}/Subaccount/{subauthId}/': {
    as: 'v1',
    body: { name: 'API branch 2' },
    expect: 200,
  },
  'DELETE /v1/Account/{authId}/Subaccount/{subauthId}/': {
    as: 'v1',
    body: { cascade: true },
    expect: 204,
    prepare: async () => ({
      subauthId: (await created(owner.client.post('/api/subaccounts', { name: 'To delete' }))).authId,
    }),
    mayChange: ['accounts.enabled'],
  },
  'POST /v1/Account/{authId}/Application/': { as: 'v1', body: { app_name: 'API IVR' }, expect: 200 },
  'POST /v1/Account/{authId}/Application/{appId}/': {
    as: 'v1',
    body: { app_name: 'API IVR 2' },
    expect: 200,
  },
  'DELETE /v1/Account/{authId}/Application/{appId}/': {
    as: 'v1',
    body: { cascade: false },
    expect: 204,
    prepare: async () => ({
      appId: (await created(owner.client.post('/api/applications', { app_name: 'To delete' }))).appId,
    }),
  },
  'POST /v1/Account/{authId}/Endpoint/': {
    as: 'v1',
    body: { username: 'apidesk', password: 'Sip-Phone-Secret-93', alias: 'API desk' },
    expect: 200,
  },
  'POST /v1/Account/{authId}/Endpoint/{endpointId}/': {
    as: 'v1',
    body: { alias: 'API desk 2' },
    expect: 200,
  },
  'POST /v1/Account/{authId}/PhoneNumber/{number}/': {
    as: 'v1',
    body: {},
    expect: 200,
    prepare: async () => ({ number: await loadNumber() }),
  },
  'POST /v1/Account/{authId}/Number/{number}/': { as: 'v1', body: { alias: 'API line' }, expect: 200 },
  'POST /v1/Account/{authId}/Message/': {
    as: 'v1',
    body: { src: 'replaced by prepareBody', dst: '14155550100', text: 'Hello', url: '', log: true },
    expect: 202,
    prepareBody: async () => ({ src: fixture.number }),
  },
  'PUT /api/billing/auto-recharge': {
    body: {
      enabled: false,
      threshold: '20.00',
      mode: 'target',
      amount: '100.00',
      dailyCap: '200.00',
      monthlyCap: '1000.00',
      paymentMethodId: null,
    },
    expect: 200,
  },
  'POST /api/billing/payment-methods': {
    body: { proof: 'replaced by prepareBody' },
    expect: 201,
    prepareBody: async () => ({ proof: await testCardToken(server, owner.client) }),
  },
  'POST /api/billing/recharges': {
    body: {
      amount: '10.00',
      paymentMethodId: 'replaced by prepareBody',
      requestKey: 'replaced by prepareBody',
    },
    expect: 201,
    prepareBody: async () => ({
      paymentMethodId: (
        await created(
          owner.client.post('/api/billing/payment-methods', {
            proof: await testCardToken(server, owner.client),
          }),
        )
      ).id,
      requestKey: randomUUID(),
    }),
  },
  // Last: it replaces the owner's Auth Token, which the /v1 cases above sign with.
  'POST /api/security/secure-account': {
    body: { includeSubaccounts: false },
    expect: 200,
    mayChange: ['users.must_change_password'],
  },
};

/** Every column of every table, with a value of its type that only this test writes. */
async function everyColumn() {
  const db = server.system.database.db;
  const { rows } = await sql<{ table_name: string; column_name: string; data_type: string }>`
    select table_name, column_name, data_type from information_schema.columns
    where table_schema = current_schema() and table_name not like 'kysely_%'
    order by table_name, ordinal_position`.execute(db);
  return rows;
}

function sentinelFor(dataType: string): unknown {
  if (dataType === 'uuid') return uuid;
  if (dataType === 'boolean') return true;
  if (['bigint', 'integer', 'smallint'].includes(dataType)) return integer;
  if (dataType.startsWith('timestamp')) return timestamp;
  if (dataType === 'date') return day;
  if (dataType === 'jsonb' || dataType === 'json') return { [text]: text };
  if (dataType === 'ARRAY') return [text];
  return text;
}

type Column = Awaited<ReturnType<typeof everyColumn>>[number];
function byTable(columns: Column[]) {
  const tables = new Map<string, Column[]>();
  for (const column of columns)
    tables.set(column.table_name, [...(tables.get(column.table_name) ?? []), column]);
  return tables;
}

/** Rows holding a value only this test sends, as "table.column". */
async function sentinelsFound(columns: Awaited<ReturnType<typeof everyColumn>>) {
  const db = server.system.database.db;
  const found: string[] = [];
  for (const [table, tableColumns] of byTable(columns)) {
    const checks = tableColumns.flatMap(({ column_name: column, data_type: type }) => {
      const name = sql.ref(column);
      if (type === 'uuid') return [[column, sql`${name} = ${uuid}::uuid`]];
      if (['bigint', 'integer', 'smallint'].includes(type)) return [[column, sql`${name} = ${integer}`]];
      if (type.startsWith('timestamp')) return [[column, sql`${name} = ${timestamp}::timestamptz`]];
      if (type === 'date') return [[column, sql`${name} = ${day}::date`]];
      if (['text', 'character varying', 'jsonb', 'json', 'ARRAY'].includes(type))
        return [[column, sql`${name}::text like ${`%${text}%`}`]];
      return [];
    }) as [string, ReturnType<typeof sql>][];
    for (const [column, condition] of checks) {
      const { rows } = await sql<{
        n: bigint;
      }>`select count(*) as n from ${sql.table(table)} where ${condition}`.execute(db);
      if (Number(rows[0]?.n) > 0) found.push(`${table}.${column}`);
    }
  }
  return found;
}

/** Every audit event, oldest first. */
const auditTrail = () =>
  server.system.database.db.selectFrom('audit_events').selectAll().orderBy('id').execute();

/** Every yes/no value of every existing row, as "table.column.row" → value. */
async function booleans(columns: Awaited<ReturnType<typeof everyColumn>>) {
  const db = server.system.database.db;
  const values = new Map<string, boolean>();
  for (const [table, tableColumns] of byTable(columns.filter((column) => column.data_type === 'boolean'))) {
    const { rows: keys } = await sql<{ attname: string }>`
      select a.attname from pg_index i
      join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
      where i.indrelid = ${table}::regclass and i.indisprimary`.execute(db);
    const key = keys.length
      ? sql.join(
          keys.map((k) => sql`${sql.ref(k.attname)}::text`),
          sql` || '/' || `,
        )
      : sql`ctid::text`;
    const { rows } = await sql<Record<string, unknown>>`select ${key} as row_ref, ${sql.join(
      tableColumns.map((column) => sql.ref(column.column_name)),
    )} from ${sql.table(table)}`.execute(db);
    for (const row of rows) {
      for (const { column_name: column } of tableColumns) {
        values.set(`${table}.${column}.${row.row_ref}`, row[column] as boolean);
      }
    }
  }
  return values;
}

beforeAll(async () => {
  server = await startTestServer();
  owner = await fundedAccount(server);
  const client = owner.client;
  const member = await invitedMember(server, client, 'developer');
  const subaccount = await created(client.post('/api/subaccounts', { name: 'Branch' }));
  const application = await created(client.post('/api/applications', { app_name: 'IVR' }));
  const endpoint = await created(
    client.post('/api/endpoints', { username: 'desk', password: 'Sip-Phone-Secret-93', alias: 'Desk' }),
  );
  const number = await loadNumber();
  await created(client.post(`/api/numbers/${number}`, {}));
  await loadSmsPrices(server);
  await server.system.sso.setEnabled(
    { ip: 'test', userAgent: null },
    owner.accountId,
    true,
    'Enterprise plan',
  );
  staff = await signInStaff(server, await setUpStaff(server, 'staff_admin'));
  fixture = {
    userId: member.userId,
    appId: application.appId,
    endpointId: endpoint.endpointId,
    number,
    accountId: owner.accountId,
    engineKey: (await server.system.engines.create({ ip: 'test', userAgent: null }, 'mass-assignment')).key,
  };
  // /api/subaccounts/{authId} addresses a subaccount; /v1/Account/{authId}/ the main account.
  fixture.consoleAuthId = subaccount.authId;
  fixture.subauthId = subaccount.authId;
}, 180_000);
afterAll(() => server.stop());

/** Each route with a request body, with the fields its schema documents. */
async function documentedFields() {
  const doc = (await (await fetch(`${server.url}/docs/json`)).json()) as {
    paths: Record<
      string,
      Record<string, { requestBody?: { content: Record<string, { schema?: { properties?: object } }> } }>
    >;
  };
  const routes = new Map<string, string[]>();
  for (const [path, operations] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      if (!operation.requestBody) continue;
      const schemas = Object.values(operation.requestBody.content).map((content) => content.schema);
      const fields = schemas.flatMap((schema) => Object.keys(schema?.properties ?? {}));
      routes.set(`${method.toUpperCase()} ${path}`, [...new Set(fields)]);
    }
  }
  return routes;
}

async function send(key: string, theCase: Case, body: string) {
  const [method = 'POST', template = ''] = key.split(' ');
  const params = { ...fixture, ...(await theCase.prepare?.()) };
  const path = template.replace(/\{(\w+)\}/g, (_match, name: string) => {
    const value =
      name === 'authId' ? (template.startsWith('/v1/') ? owner.authId : params.consoleAuthId) : params[name];
    if (!value) throw new Error(`no fixture for {${name}} in ${key}`);
    return value;
  });
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (theCase.as === 'engine') {
    headers.authorization = `Bearer ${fixture.engineKey}`;
  } else if (theCase.as === 'v1') {
    server.clock.advanceMinutes(1 / 60);
    headers.authorization = `Basic ${Buffer.from(`${owner.authId}:${owner.authToken}`).toString('base64')}`;
  } else if (theCase.as === 'anonymous') {
    // A network of its own: per-network throttles live in Redis across test files and runs.
    headers['x-forwarded-for'] = uniqueIp();
  } else {
    const client = theCase.as === 'staff' ? staff : owner.client;
    headers.cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    headers['x-csrf-token'] = client.csrfToken;
    headers['x-forwarded-for'] = client.ip;
  }
  const response = await fetch(`${server.url}${path}`, { method, headers, body, redirect: 'manual' });
  return { status: response.status, text: await response.text() };
}

describe('mass assignment on every route with a body', () => {
  it('has a case for every route with a request body in the OpenAPI document', async () => {
    const routes = [...(await documentedFields()).keys()];
    expect(routes.filter((route) => !cases[route])).toEqual([]);
    expect(Object.keys(cases).filter((route) => !routes.includes(route))).toEqual([]);
  });

  it('writes none of the undocumented fields sent with a valid body, on any route, and changes no audit event', async () => {
    const columns = await everyColumn();
    const documented = await documentedFields();
    const trail = await auditTrail();
    const problems: string[] = [];
    for (const [key, theCase] of Object.entries(cases)) {
      // Every column name the route does not document, with a value only this test writes.
      const pollution = Object.fromEntries(
        columns
          .filter((column) => !documented.get(key)?.includes(column.column_name))
          .map((column) => [column.column_name, sentinelFor(column.data_type)]),
      );
      const before = await booleans(columns);
      const answer = await send(
        key,
        theCase,
        JSON.stringify({ ...pollution, ...theCase.body, ...(await theCase.prepareBody?.()) }),
      );
      if (answer.status !== theCase.expect) problems.push(`${key} answered ${answer.status}: ${answer.text}`);
      const found = await sentinelsFound(columns);
      if (found.length) problems.push(`${key} wrote ${found.join(', ')}`);
      const after = await booleans(columns);
      for (const [cell, value] of before) {
        const column = cell.split('.').slice(0, 2).join('.');
        if (after.has(cell) && after.get(cell) !== value && !theCase.mayChange?.includes(column))
          problems.push(`${key} changed ${column}`);
      }
      if (found.length) break;
    }
    expect(problems).toEqual([]);
    // Audit events are append-only: every route ran, and each event recorded before is still there, unchanged.
    expect((await auditTrail()).slice(0, trail.length)).toEqual(trail);
  }, 300_000);

  it('lets neither __proto__ nor constructor in a body change objects or rows', async () => {
    const columns = await everyColumn();
    const problems: string[] = [];
    for (const [key, theCase] of Object.entries(cases)) {
      const valid = JSON.stringify({ ...theCase.body, ...(await theCase.prepareBody?.()) }).slice(1, -1);
      const body = `{${valid}${valid ? ',' : ''}"__proto__":{"status":"active","isAdmin":true,"role":"owner"},"constructor":{"prototype":{"isAdmin":true}}}`;
      const answer = await send(key, theCase, body);
      if (answer.status >= 500) problems.push(`${key} answered ${answer.status}: ${answer.text}`);
    }
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(({} as Record<string, unknown>).status).toBeUndefined();
    expect(await sentinelsFound(columns)).toEqual([]);
    expect(problems).toEqual([]);
  }, 300_000);
});
