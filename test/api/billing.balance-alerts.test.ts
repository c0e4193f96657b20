import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAccount } from '../support/api-account.js';
import { loadTestPrices, postUsage, testEngine } from '../support/engine-usage.js';
import { messagesTo } from '../support/outbox.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { invitedMember } from '../support/team.js';
import { addDailyUsage } from '../support/usage.js';

/**
 * Balance alerts through the real server: Billing > Payment Settings saves thresholds, addresses
 * and a webhook (validated, for billing roles only); usage charged through the engine door takes the
 * balance below thresholds, and the alert goes to the outbox once and to the webhook, signed, again
 * after the receiver first answers 500.
 */
let server: TestServer;
let owner: Awaited<ReturnType<typeof apiAccount>>;
let members: Record<'analyst' | 'developer' | 'support', Awaited<ReturnType<typeof invitedMember>>>;
let engine: { key: string };

/** A webhook receiver on loopback: answers 500 to its first request, then 200; keeps what it got. */
let receiver: Server;
let receiverUrl: string;
const received: { headers: Record<string, string | string[] | undefined>; body: string; answered: number }[] =
  [];

beforeAll(async () => {
  server = await startTestServer();
  owner = await apiAccount(server);
  members = {
    analyst: await invitedMember(server, owner.client, 'financial_analyst'),
    developer: await invitedMember(server, owner.client, 'developer'),
    support: await invitedMember(server, owner.client, 'support'),
  };
  // 40.00 a message: one SMS is a debit that crosses thresholds.
  await loadTestPrices(server, [
    { country_iso: 'US', product: 'sms', direction: 'outbound', rate_micros: 40_000_000n },
  ]);
  engine = await testEngine(server);
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
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/balance`;
}, 120_000);
afterAll(async () => {
  await server.stop();
  await new Promise((resolve) => receiver.close(resolve));
});

const sms = () => ({
  id: randomUUID(),
  account: owner.authId,
  product: 'sms',
  direction: 'outbound',
  from: '+14155550100',
  to: '+12125550123',
  quantity: 1,
  started_at: server.clock.now().toISOString(),
});

async function until<T>(what: string, read: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = await read();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`gave up waiting for ${what}`);
}

const alertsTo = async (email: string) =>
  (await messagesTo(server, email)).filter((message) => message.subject.startsWith('Balance alert'));

describe('balance alerts (Billing > Payment Settings)', () => {
  it('refuses Developer and Support (403), as every billing page does', async () => {
    for (const { client } of [members.developer, members.support]) {
      expect((await client.get('/api/billing/alerts')).status).toBe(403);
      expect(
        (await client.put('/api/billing/alerts', { customThresholds: [], emails: [], webhookUrl: null }))
          .status,
      ).toBe(403);
      expect((await client.post('/api/billing/alerts/webhook-secret', {})).status).toBe(403);
    }
  });

  it('shows the defaults and suggests the average daily usage of the last 30 days', async () => {
    const today = server.clock.now().getTime();
    const day = (back: number) => new Date(today - back * 86_400_000).toISOString().slice(0, 10);
    // 31 days back is outside the window; today is not a whole day yet.
    await addDailyUsage(server.system.database.db, [
      {
        accountId: owner.accountId,
        day: day(1),
        product: 'sms',
        events: 1,
        quantity: 1,
        amountMicros: 200_000_000n,
      },
      {
        accountId: owner.accountId,
        day: day(30),
        product: 'voice',
        events: 1,
        quantity: 60,
        amountMicros: 100_000_000n,
      },
      {
        accountId: owner.accountId,
        day: day(31),
        product: 'sms',
        events: 1,
        quantity: 1,
        amountMicros: 999_000_000n,
      },
    ]);
    const settings = await members.analyst.client.get('/api/billing/alerts');
    expect(settings.status, JSON.stringify(settings.body)).toBe(200);
    expect(settings.body).toEqual({
      currency: 'USD',
      defaultThresholds: ['250.00000', '100.00000', '10.00000'],
      customThresholds: [],
      emails: [],
      webhookUrl: null,
      webhookSecretSet: false,
      // 300.00 over 30 days
      suggestedThreshold: '10.00000',
    });
  });

  it('refuses bad settings with a reason for each field', async () => {
    const put = (body: object) =>
      owner.client.put('/api/billing/alerts', {
        customThresholds: [],
        emails: [],
        webhookUrl: null,
        ...body,
      });
    const cases: [object, string, string][] = [
      [{ customThresholds: ['50', '40', '30', '20'] }, 'too_many_alert_thresholds', 'at most 3'],
      [{ customThresholds: ['ten dollars'] }, 'invalid_alert_threshold', '"ten dollars" is not a threshold'],
      [{ emails: ['finance@'] }, 'invalid_alert_email', '"finance@" is not an email address'],
      [
        { emails: ['a@x.io', 'b@x.io', 'c@x.io', 'd@x.io', 'e@x.io', 'f@x.io'] },
        'too_many_alert_emails',
        'at most 5',
      ],
      [{ webhookUrl: 'ftp://files.example.com/in' }, 'invalid_alert_webhook_url', 'https://'],
      [{ webhookUrl: 'http://192.168.1.20/hook' }, 'invalid_alert_webhook_url', 'private'],
    ];
    for (const [body, code, words] of cases) {
      const refused = await put(body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.body.code).toBe(code);
      expect(refused.body.detail).toContain(words);
      expect(refused.body.errors?.length).toBeGreaterThan(0);
    }
    // Nothing was saved by the refusals.
    expect((await owner.client.get('/api/billing/alerts')).body.customThresholds).toEqual([]);
    // Rotating a secret needs a webhook first.
    const noWebhook = await owner.client.post('/api/billing/alerts/webhook-secret', {});
    expect([noWebhook.status, noWebhook.body.code]).toEqual([409, 'no_alert_webhook']);
  });

  it('emails a debit’s alert once and POSTs it signed, again after the receiver answered 500', async () => {
    const saved = await members.analyst.client.put('/api/billing/alerts', {
      customThresholds: ['75'],
      emails: ['On-Call@acme-telecom.com'],
      webhookUrl: receiverUrl,
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body).toMatchObject({
      customThresholds: ['75.00000'],
      emails: ['on-call@acme-telecom.com'],
      webhookUrl: receiverUrl,
      webhookSecretSet: true,
    });
    const secret: string = saved.body.webhookSecret;
    expect(secret).toMatch(/^whsec_/);
    // Shown once: reading the settings again does not show it.
    const read = await owner.client.get('/api/billing/alerts');
    expect(read.body.webhookSecret).toBeUndefined();
    expect(read.body.webhookSecretSet).toBe(true);

    await server.system.ledger.post([
      {
        accountId: owner.accountId,
        subaccountId: null,
        kind: 'adjustment',
        amount: { micros: 120_000_000n, currency: 'USD' },
        idempotencyKey: 'alerts-journey-credit',
        causedBy: 'system',
      },
    ]);
    // 120.00 → 80.00: below 100; 80.00 → 40.00: below 75; 40.00 → 0.00: below 10.
    for (let i = 0; i < 3; i++) {
      const charged = await postUsage(server, engine.key, { events: [sms()] });
      expect(charged.status, JSON.stringify(charged.body)).toBe(200);
      expect(charged.body.events[0].status).toBe('charged');
    }
    const { name } = await server.system.database.db
      .selectFrom('accounts')
      .select('name')
      .where('id', '=', owner.accountId)
      .executeTakeFirstOrThrow();
    for (const email of [owner.email, members.analyst.email, 'on-call@acme-telecom.com']) {
      const subjects = (await alertsTo(email)).map((message) => message.subject).sort();
      expect(subjects, email).toEqual(
        [
          'Balance alert: Acme is below $10.00',
          'Balance alert: Acme is below $100.00',
          'Balance alert: Acme is below $75.00',
        ]
          .map((subject) => subject.replace('Acme', name))
          .sort(),
      );
    }
    expect(await alertsTo(members.developer.email)).toEqual([]);
    expect(await alertsTo(members.support.email)).toEqual([]);

    // Three alerts, three deliveries; the first attempt of the first was answered 500.
    await until('the first delivery attempts', async () => (received.length >= 3 ? true : undefined));
    expect(received[0]?.answered).toBe(500);
    server.clock.advanceMinutes(2);
    server.system.jobs.nudge();
    await until('the retried delivery', async () => (received.length >= 4 ? true : undefined));
    const first = JSON.parse(received[0]?.body as string);
    const retried = received.slice(1).find((delivery) => JSON.parse(delivery.body).id === first.id);
    expect(retried?.answered).toBe(200);
    expect(retried?.body).toBe(received[0]?.body);
    const bodies = new Map(
      received.map((delivery) => JSON.parse(delivery.body)).map((body) => [body.id, body]),
    );
    expect(bodies.size).toBe(3);
    expect([...bodies.values()].map((body) => body.thresholds[0]).sort()).toEqual([
      '10.00000',
      '100.00000',
      '75.00000',
    ]);
    expect(first).toMatchObject({ type: 'balance.alert', account_id: owner.authId, currency: 'USD' });
    for (const delivery of received) {
      const timestamp = delivery.headers['x-switchboard-timestamp'] as string;
      const expected = createHmac('sha256', secret).update(`${timestamp}.${delivery.body}`).digest('hex');
      expect(delivery.headers['x-switchboard-signature']).toBe(`v1=${expected}`);
      expect(delivery.headers['content-type']).toBe('application/json');
    }

    // A new secret signs from now on; the old one no longer matches.
    const rotated = await owner.client.post('/api/billing/alerts/webhook-secret', {});
    expect(rotated.status).toBe(200);
    expect(rotated.body.webhookSecret).toMatch(/^whsec_/);
    expect(rotated.body.webhookSecret).not.toBe(secret);

    const audit = await server.system.database.db
      .selectFrom('audit_events')
      .select('action')
      .where('account_id', '=', owner.accountId)
      .where('action', 'like', 'billing.%')
      .execute();
    expect(audit.map((event) => event.action).sort()).toEqual([
      'billing.alert_webhook_secret_rotated',
      'billing.alerts_changed',
    ]);
  });
});
