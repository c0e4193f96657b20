import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_RESOURCES } from '../../src/modules/audit/resources.js';
import { AUDIT_RESOURCES as consoleResources } from '../../web/src/components/audit/resources.js';
import { apiAccount, v1 } from '../support/api-account.js';
import type { ConsoleClient } from '../support/browser-client.js';
import { setUpStaff, signInStaff } from '../support/journeys.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { invitedMember } from '../support/team.js';

/**
 * Account > Settings > Audit Log, its CSV export, GET /v1/Account/{id}/AuditEvent/ and the audit
 * webhook: a main account reads its own and its subaccounts' events, a subaccount only its own,
 * and nobody another account's; staff actions read as "operator staff" with their reason (the
 * staff console names the staff member); each event is POSTed signed, retried after a 500.
 */

let server: TestServer;
let owner: Awaited<ReturnType<typeof apiAccount>>;
let other: Awaited<ReturnType<typeof apiAccount>>;
let sub: { authId: string; authToken: string };
let staffMember: Awaited<ReturnType<typeof setUpStaff>>;
let staff: ConsoleClient;

let receiver: Server;
let receiverUrl: string;
const received: { headers: Record<string, string | string[] | undefined>; body: string; answered: number }[] =
  [];

async function until<T>(what: string, read: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = await read();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`gave up waiting for ${what}`);
}

beforeAll(async () => {
  server = await startTestServer();
  owner = await apiAccount(server);
  other = await apiAccount(server);
  const created = await v1(server, owner, 'POST', `/Account/${owner.authId}/Subaccount/`, {
    body: { name: 'Branch', enabled: true },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(200);
  sub = { authId: created.body.auth_id, authToken: created.body.auth_token };
  const app = await v1(server, sub, 'POST', `/Account/${sub.authId}/Application/`, {
    body: { app_name: 'Branch IVR' },
  });
  expect(app.status, JSON.stringify(app.body)).toBe(200);
  staffMember = await setUpStaff(server);
  staff = await signInStaff(server, staffMember);
  receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      const answered = received.length === 0 ? 500 : 200;
      received.push({ headers: request.headers, body, answered });
      response.writeHead(answered).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/audit`;
}, 120_000);
afterAll(async () => {
  await server.stop();
  await new Promise((resolve) => receiver.close(resolve));
});

const auditRows = () =>
  server.system.database.db.selectFrom('audit_events').selectAll().orderBy('id').execute();

describe('who reads the audit log', () => {
  it('lets the Owner and Admin read it, and refuses the other roles', async () => {
    const admin = await invitedMember(server, owner.client, 'admin');
    expect((await admin.client.get('/api/audit/events')).status).toBe(200);
    for (const role of ['developer', 'support', 'financial_analyst'] as const) {
      const member = await invitedMember(server, owner.client, role);
      expect((await member.client.get('/api/audit/events')).status, role).toBe(403);
      expect((await member.client.get('/api/audit/events.csv')).status, role).toBe(403);
      expect((await member.client.put('/api/audit/webhook', { url: receiverUrl })).status, role).toBe(403);
    }
  });
});

describe('Account > Settings > Audit Log', () => {
  it('lists the account’s and its subaccounts’ events, newest first, never another account’s', async () => {
    const page = await owner.client.get('/api/audit/events?limit=200');
    expect(page.status, JSON.stringify(page.body)).toBe(200);
    const accounts = new Set(page.body.events.map((event: { account: string }) => event.account));
    expect([...accounts].sort()).toEqual([owner.authId, sub.authId].sort());
    expect(page.body.total).toBe(page.body.events.length);
    const times = page.body.events.map((event: { at: string }) => event.at);
    expect([...times].sort().reverse()).toEqual(times);
    const signUp = page.body.events.find((event: { action: string }) => event.action === 'user.signed_up');
    expect(signUp).toMatchObject({
      account: owner.authId,
      actorKind: 'member',
      actor: owner.email,
      resource: 'user',
      ip: owner.client.ip,
    });
    const made = page.body.events.find((event: { action: string }) => event.action === 'subaccount.created');
    expect(made).toMatchObject({ actorKind: 'api', actor: owner.authId, resource: 'subaccount' });
  });

  it('filters by actor, action, resource, source IP and time', async () => {
    const get = async (query: string) => {
      const answer = await owner.client.get(`/api/audit/events?${query}`);
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      return answer.body.events as {
        action: string;
        actor: string;
        ip: string;
        at: string;
        account: string;
      }[];
    };
    const byMember = await get(`actor=${encodeURIComponent(owner.email.slice(0, 8).toUpperCase())}`);
    expect(byMember.length).toBeGreaterThan(0);
    expect(byMember.every((event) => event.actor === owner.email)).toBe(true);
    const created = await get('action=application.created');
    expect(created.map((event) => [event.action, event.account])).toEqual([
      ['application.created', sub.authId],
    ]);
    const team = await get('resource=subaccount');
    expect(team.length).toBeGreaterThan(0);
    expect(team.every((event) => event.action.startsWith('subaccount.'))).toBe(true);
    const fromIp = await get(`ip=${owner.client.ip}`);
    expect(fromIp.length).toBeGreaterThan(0);
    expect(fromIp.every((event) => event.ip === owner.client.ip)).toBe(true);
    const future = new Date(server.clock.now().getTime() + 3_600_000).toISOString();
    expect(await get(`from=${future}`)).toEqual([]);
    const past = new Date(server.clock.now().getTime() - 3_600_000).toISOString();
    expect((await get(`to=${past}`)).length).toBe(0);
    expect((await get(`subaccount=${sub.authId}`)).every((event) => event.account === sub.authId)).toBe(true);

    expect(consoleResources).toEqual(AUDIT_RESOURCES);
    const bad = await owner.client.get('/api/audit/events?resource=spaceship');
    expect([bad.status, bad.body.code]).toEqual([400, 'unknown_audit_resource']);
    const badTime = await owner.client.get('/api/audit/events?from=yesterday');
    expect([badTime.status, badTime.body.code]).toEqual([400, 'invalid_audit_time']);
    const foreign = await owner.client.get(`/api/audit/events?subaccount=${other.authId}`);
    expect([foreign.status, foreign.body.code]).toEqual([400, 'unknown_subaccount']);
  });

  it('exports the filtered events as CSV, streamed with a header line', async () => {
    const answer = await owner.client.get('/api/audit/events.csv?resource=subaccount');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(answer.headers.get('content-disposition')).toBe('attachment; filename="audit-log.csv"');
    const lines = (answer.body as string).trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'created_at,account_id,actor_type,actor,action,resource,ip,user_agent,reason,details',
    );
    const page = await owner.client.get('/api/audit/events?resource=subaccount');
    expect(lines.length - 1).toBe(page.body.total);
    expect(lines[1]).toContain(',subaccount.created,subaccount,');
    expect(answer.body).not.toContain(other.authId);
  });
});

describe('staff actions in the customer’s log', () => {
  it('reads as "operator staff" with the reason, never the staff member; the staff console names them', async () => {
    const path = `/api/staff/accounts/${owner.accountId}`;
    const limits = await staff.put(`${path}/rate-limits`, { standard: 40, reason: 'Enterprise plan signed' });
    expect(limits.status, JSON.stringify(limits.body)).toBe(200);
    const noReason = await staff.put(`${path}/rate-limits`, { standard: 40, reason: '  ' });
    expect([noReason.status, noReason.body.code]).toEqual([400, 'reason_required']);
    const sso = await staff.put(`${path}/sso`, { enabled: true, reason: 'SSO bought with the plan' });
    expect(sso.status, JSON.stringify(sso.body)).toBe(200);
    const credit = await staff.post(`${path}/credits`, {
      amount: '5.00',
      reason: 'Goodwill after the outage',
      idempotency_key: `audit-log-${owner.accountId}`,
    });
    expect(credit.status, JSON.stringify(credit.body)).toBe(200);
    const suspend = await staff.post(`${path}/suspend`, {
      reason: 'compliance_issue',
      details: 'Send your registration.',
    });
    expect(suspend.status, JSON.stringify(suspend.body)).toBe(200);
    const reinstate = await staff.post(`${path}/reinstate`, { note: 'Registration received.' });
    expect(reinstate.status, JSON.stringify(reinstate.body)).toBe(204);

    const page = await owner.client.get(`/api/audit/events?actor=${encodeURIComponent('operator staff')}`);
    expect(page.status).toBe(200);
    const reasons = Object.fromEntries(
      page.body.events.map((event: { action: string; reason: string }) => [event.action, event.reason]),
    );
    expect(reasons).toMatchObject({
      'account.rate_limits_changed': 'Enterprise plan signed',
      'sso.enabled': 'SSO bought with the plan',
      'billing.credit_adjusted': 'Goodwill after the outage',
      'account.suspended': 'Compliance issue',
      'account.reinstated': 'Registration received.',
    });
    for (const event of page.body.events) {
      expect(event).toMatchObject({ actorKind: 'operator_staff', actor: 'operator staff', ip: null });
    }
    const text = JSON.stringify(page.body);
    expect(text).not.toContain(staffMember.email);
    expect(text).not.toContain('Sam Reviewer');

    const staffView = await staff.get(path);
    expect(staffView.status).toBe(200);
    const changed = staffView.body.audit.find(
      (event: { action: string }) => event.action === 'account.rate_limits_changed',
    );
    expect(changed).toMatchObject({
      by: { kind: 'staff', name: 'Sam Reviewer', email: staffMember.email },
      details: { reason: 'Enterprise plan signed' },
    });
  });
});

describe('GET /v1/Account/{auth_id}/AuditEvent/', () => {
  it('answers the main account’s and its subaccounts’ events in the list envelope, with filters', async () => {
    const answer = await v1(server, owner, 'GET', `/Account/${owner.authId}/AuditEvent/?limit=20`);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.meta).toMatchObject({ limit: 20, offset: 0, previous: null });
    const all = await v1(server, owner, 'GET', `/Account/${owner.authId}/AuditEvent/?limit=20&offset=0`);
    const accounts = new Set<string>();
    for (let offset = 0; offset < all.body.meta.total_count; offset += 20) {
      const page = await v1(
        server,
        owner,
        'GET',
        `/Account/${owner.authId}/AuditEvent/?limit=20&offset=${offset}`,
      );
      for (const event of page.body.objects) accounts.add(event.account_id);
    }
    expect([...accounts].sort()).toEqual([owner.authId, sub.authId].sort());
    const [first] = answer.body.objects;
    expect(first.created_at).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+00:00$/);

    const filtered = await v1(
      server,
      owner,
      'GET',
      `/Account/${owner.authId}/AuditEvent/?resource=subaccount&actor=${owner.authId}`,
    );
    expect(
      filtered.body.objects.map((event: { action: string; actor_type: string }) => event.actor_type),
    ).toEqual(filtered.body.objects.map(() => 'api'));
    expect(filtered.body.objects.map((event: { action: string }) => event.action)).toContain(
      'subaccount.created',
    );
    const later = new Date(server.clock.now().getTime() + 60_000)
      .toISOString()
      .slice(0, 19)
      .replace('T', ' ');
    const none = await v1(
      server,
      owner,
      'GET',
      `/Account/${owner.authId}/AuditEvent/?created_at__gt=${later}`,
    );
    expect([none.status, none.body.meta.total_count]).toEqual([200, 0]);
    const badTime = await v1(
      server,
      owner,
      'GET',
      `/Account/${owner.authId}/AuditEvent/?created_at__gte=soon`,
    );
    expect(badTime.status).toBe(400);
    expect(badTime.body.error).toContain('created_at__gte');
  });

  it('answers a subaccount’s credentials only its own events, and another account 404', async () => {
    const own = await v1(server, sub, 'GET', `/Account/${sub.authId}/AuditEvent/`);
    expect(own.status, JSON.stringify(own.body)).toBe(200);
    expect(own.body.objects.length).toBeGreaterThan(0);
    for (const event of own.body.objects) expect(event.account_id).toBe(sub.authId);
    const widened = await v1(
      server,
      sub,
      'GET',
      `/Account/${sub.authId}/AuditEvent/?subaccount=${owner.authId}`,
    );
    expect(widened.status).toBe(400);
    expect((await v1(server, sub, 'GET', `/Account/${owner.authId}/AuditEvent/`)).status).toBe(404);
    expect((await v1(server, other, 'GET', `/Account/${owner.authId}/AuditEvent/`)).status).toBe(404);
    const theirs = await v1(server, other, 'GET', `/Account/${other.authId}/AuditEvent/`);
    for (const event of theirs.body.objects) expect(event.account_id).toBe(other.authId);
  });
});

describe('the audit webhook', () => {
  it('POSTs each new event signed, again after the receiver answered 500', async () => {
    const refused = await owner.client.put('/api/audit/webhook', { url: 'ftp://files.example.com/in' });
    expect([refused.status, refused.body.code]).toEqual([400, 'invalid_audit_webhook_url']);
    const saved = await owner.client.put('/api/audit/webhook', { url: receiverUrl });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const secret: string = saved.body.secret;
    expect(secret).toMatch(/^whsec_/);
    const read = await owner.client.get('/api/audit/webhook');
    expect(read.body).toMatchObject({ url: receiverUrl });
    expect(read.body.secret).toBeUndefined();

    // The webhook's own change is the first event delivered; a staff action the second.
    const limits = await staff.put(`/api/staff/accounts/${owner.accountId}/rate-limits`, {
      standard: null,
      reason: 'Back to the standard plan',
    });
    expect(limits.status).toBe(200);
    await until('the first attempts', async () => (received.length >= 2 ? true : undefined));
    expect(received[0]?.answered).toBe(500);
    server.clock.advanceMinutes(2);
    server.system.jobs.nudge();
    await until('the retried delivery', async () => (received.length >= 3 ? true : undefined));
    const first = JSON.parse(received[0]?.body as string);
    const retried = received.slice(1).find((delivery) => JSON.parse(delivery.body).id === first.id);
    expect(retried?.answered).toBe(200);
    expect(retried?.body).toBe(received[0]?.body);
    for (const delivery of received) {
      const timestamp = delivery.headers['x-switchboard-timestamp'] as string;
      const expected = createHmac('sha256', secret).update(`${timestamp}.${delivery.body}`).digest('hex');
      expect(delivery.headers['x-switchboard-signature']).toBe(`v1=${expected}`);
    }
    const bodies = received.map((delivery) => JSON.parse(delivery.body));
    const staffEvent = bodies.find((body) => body.event.action === 'account.rate_limits_changed');
    expect(staffEvent).toMatchObject({
      type: 'audit.event',
      account_id: owner.authId,
      event: { actor_type: 'operator_staff', actor: 'operator staff', reason: 'Back to the standard plan' },
    });
    expect(bodies.find((body) => body.event.action === 'audit.webhook_set')).toMatchObject({
      event: { actor: owner.email, details: { url: receiverUrl, secret: 'issued' } },
    });
    expect(JSON.stringify(bodies)).not.toContain(staffMember.email);

    const rotated = await owner.client.post('/api/audit/webhook/secret', {});
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(secret);
    expect((await owner.client.delete('/api/audit/webhook')).status).toBe(204);
    expect((await owner.client.get('/api/audit/webhook')).body.url).toBeNull();
  });
});

describe('append-only events and retention', () => {
  it('refuses to update, delete or truncate an audit event in the database itself', async () => {
    const db = server.system.database.db;
    const [event] = await auditRows();
    await expect(
      db
        .updateTable('audit_events')
        .set({ action: 'forged' })
        .where('id', '=', event?.id as bigint)
        .execute(),
    ).rejects.toThrow(/append-only/);
    await expect(
      db
        .deleteFrom('audit_events')
        .where('id', '=', event?.id as bigint)
        .execute(),
    ).rejects.toThrow(/append-only/);
    await expect(sql`TRUNCATE audit_events`.execute(db)).rejects.toThrow(/append-only/);
    expect((await auditRows())[0]).toEqual(event);
  });

  it('deletes events past AUDIT_RETENTION_DAYS, keeping newer ones and a closed account’s', async () => {
    const db = server.system.database.db;
    const closed = await apiAccount(server);
    const old = new Date(server.clock.now().getTime() - 400 * 86_400_000);
    const inserted = await db
      .insertInto('audit_events')
      .values([
        { action: 'user.signed_in', account_id: owner.accountId, details: '{}', created_at: old },
        { action: 'user.signed_in', account_id: closed.accountId, details: '{}', created_at: old },
      ])
      .returning('id')
      .execute();
    await db
      .updateTable('accounts')
      .set({ status: 'closed', closed_at: old })
      .where('id', '=', closed.accountId)
      .execute();
    const recent = (await auditRows()).filter((row) => row.created_at > old).length;
    await server.system.auditEvents.purgeExpired(365);
    const left = await auditRows();
    expect(left.map((row) => row.id)).not.toContain(inserted[0]?.id);
    expect(left.map((row) => row.id)).toContain(inserted[1]?.id);
    expect(left.filter((row) => row.created_at > old).length).toBe(recent);
  });
});
