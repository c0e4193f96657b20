import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../src/db/database.js';
import { AccountErrors } from '../../src/modules/accounts/errors.js';
import { CreditErrors } from '../../src/modules/credit-control/errors.js';
import { fundedAccount, v1 } from '../support/api-account.js';
import type { ConsoleClient } from '../support/browser-client.js';
import { loadTestPrices, testEngine } from '../support/engine-usage.js';
import { setUpStaff, signInStaff } from '../support/journeys.js';
import { messagesTo } from '../support/outbox.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * Suspension and reinstatement: staff suspend with a reason and details; the API refuses the account
 * with the reason, engines are told to end its calls and refused new ones, the Owner and Admins get
 * the notice; members read it and ask for reinstatement; staff reinstate and access returns.
 * Repeated auto-recharge failures suspend for payment failure.
 */
let server: TestServer;
let staff: ConsoleClient;
let engine: { engineId: string; key: string };

const openSession = (account: string) =>
  fetch(`${server.url}/api/engine/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${engine.key}` },
    body: JSON.stringify({
      id: randomUUID(),
      account,
      product: 'voice',
      direction: 'outbound',
      from: '+14155550100',
      to: '+12125550123',
    }),
  }).then(async (response) => ({ status: response.status, body: await response.json() }));

beforeAll(async () => {
  server = await startTestServer();
  await server.system.jobs.stop();
  await loadTestPrices(server, [
    { country_iso: 'US', product: 'voice', direction: 'outbound', rate_micros: 12_000n },
  ]);
  engine = await testEngine(server);
  staff = await signInStaff(server, await setUpStaff(server, 'agent'));
}, 120_000);
afterAll(() => server.stop());

describe('suspension and reinstatement', () => {
  it('refuses a suspended account on /v1 with the reason, ends its calls, refuses new ones, emails the notice; reinstating restores access', async () => {
    const account = await fundedAccount(server);
    const call = await openSession(account.authId);
    expect(call.status).toBe(201);

    const suspended = await staff.post(`/api/staff/accounts/${account.accountId}/suspend`, {
      reason: 'content_violation',
      details:
        'Messages to +44 numbers on 3 December broke the acceptable use policy (unsolicited marketing).',
    });
    expect(suspended.status, JSON.stringify(suspended.body)).toBe(200);
    expect(suspended.body).toMatchObject({ reason: 'content_violation', reasonLabel: 'Content violation' });

    const refused = await v1(server, account, 'GET', `/Account/${account.authId}/`);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatch(/suspended: Content violation/);
    const engineRefused = await openSession(account.authId);
    expect([engineRefused.status, engineRefused.body.error]).toEqual([403, CreditErrors.accountNotActive]);
    const session = await server.system.database.db
      .selectFrom('credit_sessions')
      .select(['disconnect_reason', 'disconnect_requested_at'])
      .where('session_id', '=', call.body.session)
      .executeTakeFirstOrThrow();
    expect(session.disconnect_reason).toBe('account_suspended');
    const notice = (await messagesTo(server, account.email)).find((m) =>
      m.subject.startsWith('Your account is suspended'),
    );
    expect(notice?.subject).toBe('Your account is suspended: Content violation');
    expect(notice?.text).toContain('unsolicited marketing');

    // The members read the notice and ask for reinstatement.
    const read = await account.client.get('/api/account/suspension');
    expect(read.body.suspension).toMatchObject({
      reasonLabel: 'Content violation',
      details: expect.stringContaining('acceptable use policy'),
      reinstatementRequestedAt: null,
    });
    // A document whose content is not what its name says is refused, and nothing is requested.
    const pdf = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n');
    const lying = await account.client.post('/api/account/reinstatement-request', {
      message: 'We removed the campaign and added opt-in checks.',
      attachments: [{ fileName: 'opt-in.png', content: pdf.toString('base64') }],
    });
    expect(lying.status).toBe(400);
    expect(lying.body.code).toBe('attachment_type_mismatch');
    expect(
      (await account.client.get('/api/account/suspension')).body.suspension.reinstatementRequestedAt,
    ).toBeNull();
    const asked = await account.client.post('/api/account/reinstatement-request', {
      message: 'We removed the campaign and added opt-in checks.',
      attachments: [{ fileName: 'opt-in-policy.pdf', content: pdf.toString('base64') }],
    });
    expect(asked.status, JSON.stringify(asked.body)).toBe(200);
    expect(asked.body.reinstatementRequestedAt).not.toBeNull();
    // It opened a high-priority account ticket, the document attached, that the members follow in Support.
    expect(asked.body.reinstatementTicket).toMatch(/^T-\d{6}$/);
    const tickets = await account.client.get('/api/tickets');
    expect(tickets.body.tickets).toEqual([
      expect.objectContaining({
        number: asked.body.reinstatementTicket,
        category: 'account',
        priority: 'high',
        subject: expect.stringContaining('Reinstatement request'),
      }),
    ]);
    const ticket = await account.client.get(`/api/tickets/${asked.body.reinstatementTicket}`);
    expect(ticket.body.messages[0].attachments).toEqual([
      expect.objectContaining({ fileName: 'opt-in-policy.pdf', contentType: 'application/pdf' }),
    ]);

    const reinstated = await staff.post(`/api/staff/accounts/${account.accountId}/reinstate`, {
      note: 'Opt-in checks confirmed.',
    });
    expect(reinstated.status, JSON.stringify(reinstated.body)).toBe(204);
    expect((await v1(server, account, 'GET', `/Account/${account.authId}/`)).status).toBe(200);
    expect((await openSession(account.authId)).status).toBe(201);
    expect((await account.client.get('/api/account/suspension')).body.suspension).toBeNull();

    const history = await staff.get(`/api/staff/accounts/${account.accountId}/suspensions`);
    expect(history.body.suspensions).toEqual([
      expect.objectContaining({
        reason: 'content_violation',
        reinstatementRequest: 'We removed the campaign and added opt-in checks.',
        reinstatementTicket: asked.body.reinstatementTicket,
        endNote: 'Opt-in checks confirmed.',
        endedBy: expect.stringMatching(/^staff:/),
      }),
    ]);
    const audited = await server.system.database.db
      .selectFrom('audit_events')
      .select('action')
      .where('account_id', '=', account.accountId)
      .where('action', 'in', ['account.suspended', 'account.reinstatement_requested', 'account.reinstated'])
      .orderBy('id')
      .execute();
    expect(audited.map((row) => row.action)).toEqual([
      'account.suspended',
      'account.reinstatement_requested',
      'account.reinstated',
    ]);
  });

  it('refuses a suspension without details, and one of an account that is not active', async () => {
    const account = await fundedAccount(server);
    const empty = await staff.post(`/api/staff/accounts/${account.accountId}/suspend`, {
      reason: 'compliance_issue',
      details: '  ',
    });
    expect([empty.status, empty.body.code]).toEqual([400, AccountErrors.suspensionDetailsRequired]);
    await staff.post(`/api/staff/accounts/${account.accountId}/suspend`, {
      reason: 'compliance_issue',
      details: 'Send your business registration.',
    });
    const again = await staff.post(`/api/staff/accounts/${account.accountId}/suspend`, {
      reason: 'compliance_issue',
      details: 'Again.',
    });
    expect([again.status, again.body.code]).toEqual([409, AccountErrors.illegalStatusTransition]);
    const notSuspended = await (await fundedAccount(server)).client.post(
      '/api/account/reinstatement-request',
      {
        message: 'Please.',
      },
    );
    expect([notSuspended.status, notSuspended.body.code]).toEqual([409, AccountErrors.notSuspended]);
  });

  it('suspends for payment failure when auto-recharge has failed its number of times', async () => {
    const account = await fundedAccount(server);
    await inTransaction(server.system.database.db, () =>
      server.system.events.publish('billing.payment_failed', {
        accountId: account.accountId,
        consecutiveFailures: 3,
        reason: 'card declined',
      }),
    );
    const read = await account.client.get('/api/account/suspension');
    expect(read.body.suspension).toMatchObject({ reason: 'payment_failure', reasonLabel: 'Payment failure' });
    const refused = await v1(server, account, 'GET', `/Account/${account.authId}/`);
    expect(refused.body.error).toMatch(/suspended: Payment failure\. Add a working card/);
  });
});
