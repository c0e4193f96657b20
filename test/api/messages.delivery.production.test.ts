import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STATUS_CALLBACK_JOB } from '../../src/modules/messaging/service.js';
import { v1 } from '../support/api-account.js';
import { startCallbackReceiver } from '../support/callback-receiver.js';
import { messagingAccount, usDestination } from '../support/messaging.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * Callback URLs in production (ANSWERS.md "Callback URLs"): a status callback may not reach
 * loopback, private or link-local addresses (SSRF), neither when a send names one (400) nor when
 * the callback is delivered. The account is made on a development server, which is then started
 * again in production mode on the same database.
 */
let production: TestServer;
let receiver: Awaited<ReturnType<typeof startCallbackReceiver>>;
let account: Awaited<ReturnType<typeof messagingAccount>>;
let scheduled: string;

beforeAll(async () => {
  receiver = await startCallbackReceiver();
  const development = await startTestServer({}, { restartable: true });
  account = await messagingAccount(development);
  // Development allows a loopback receiver: a message scheduled for later keeps one.
  const answer = await v1(development, account, 'POST', `/Account/${account.authId}/Message/`, {
    body: {
      src: account.number,
      dst: usDestination(),
      text: 'Later',
      url: receiver.url('/status'),
      send_at: new Date(development.clock.now().getTime() + 60_000).toISOString(),
    },
  });
  expect(answer.status, JSON.stringify(answer.body)).toBe(202);
  scheduled = answer.body.message_uuid[0];
  await development.stop();
  production = await startTestServer(
    {
      SWITCHBOARD_ENV: 'production',
      PUBLIC_URL: 'https://switchboard.example',
      SMTP_URL: 'smtp://127.0.0.1:9',
    },
    { restartOf: development },
  );
});
afterAll(async () => {
  await production?.stop();
  await receiver.close();
});

describe('callback URLs in production', () => {
  it.each([
    ['loopback', 'http://127.0.0.1:9/status'],
    ['a loopback name', 'http://localhost:9/status'],
    ['private', 'http://10.1.2.3/status'],
    ['link-local (metadata service)', 'http://169.254.169.254/latest/meta-data/'],
    ['IPv6 loopback', 'http://[::1]:9/status'],
  ])('refuses a %s url with 400 and queues nothing', async (_kind, url) => {
    const before = await v1(production, account, 'GET', `/Account/${account.authId}/Message/`);
    const answer = await v1(production, account, 'POST', `/Account/${account.authId}/Message/`, {
      body: { src: account.number, dst: usDestination(), text: 'Hello', url },
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(400);
    expect(answer.body.error).toMatch(/url.*private, loopback or link-local/);
    const after = await v1(production, account, 'GET', `/Account/${account.authId}/Message/`);
    expect(after.body.meta.total_count).toBe(before.body.meta.total_count);
  });

  it('does not deliver a callback to a loopback URL saved before, when the message moves on', async () => {
    production.clock.advanceMilliseconds(120_000);
    await production.system.messageDispatcher.round();
    await production.system.jobs.drain();

    const message = await v1(production, account, 'GET', `/Account/${account.authId}/Message/${scheduled}/`);
    expect(message.body.message_state).not.toBe('scheduled');
    const attempts = await production.system.database.db
      .selectFrom('jobs')
      .select(['state', 'last_error'])
      .where('name', '=', STATUS_CALLBACK_JOB)
      .where(sql<boolean>`payload->>'messageId' = ${scheduled}`)
      .where('last_error', 'is not', null)
      .execute();
    expect(attempts.length).toBeGreaterThan(0);
    for (const attempt of attempts) {
      expect(attempt.last_error).toMatch(/refused address/);
      expect(attempt.last_error).toContain('127.0.0.1');
    }
    // Nothing reached the receiver (a scheduled message's first callback is `queued`, due in production).
    expect(receiver.received).toEqual([]);
  });
});
