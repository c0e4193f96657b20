import { createHmac, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/support/database.js';
import { loadConfig } from '../config.js';
import { type DatabaseHandle, inTransaction } from '../db/database.js';
import { Jobs } from '../jobs/runner.js';
import { systemClock } from '../lib/clock.js';
import { SecretBox } from '../lib/secrets.js';
import { type Deliver, driversFor, webhookDriver } from './drivers.js';
import { deliverMessageJob } from './outbox.jobs.js';
import { Outbox } from './outbox.js';

let database: DatabaseHandle;
const secrets = new SecretBox(randomBytes(32).toString('hex'));
const log = pino({ level: 'silent' });

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

/** An outbox and the jobs runner that delivers it, as the system wires them. */
function outboxWith(drivers: Record<'email' | 'sms' | 'voice', Deliver>, logger = log) {
  const jobs = new Jobs({ db: database.db, clock: systemClock, log: logger });
  jobs.register(deliverMessageJob({ db: database.db, secrets, drivers, log: logger, retentionDays: 7 }));
  return { jobs, outbox: new Outbox(database.db, secrets, jobs) };
}

function listen(server: http.Server | SMTPServer): Promise<number> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address =
        (server as http.Server).address?.() ??
        (server as unknown as { server: http.Server }).server.address();
      resolve((address as AddressInfo).port);
    });
  });
}

describe('email delivery over SMTP', () => {
  it('sends an outbox email through a real SMTP server and marks it sent', async () => {
    const received: string[] = [];
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, _session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          received.push(Buffer.concat(chunks).toString('utf8'));
          callback();
        });
      },
    });
    const port = await listen(smtp);
    try {
      const config = loadConfig({
        SMTP_URL: `smtp://127.0.0.1:${port}`,
        MAIL_FROM: 'Ops <ops@operator.test>',
      });
      const { outbox, jobs } = outboxWith(driversFor(config));
      await outbox.enqueue({
        channel: 'email',
        to: 'grace@acme-telecom.com',
        subject: 'Hello',
        text: 'Your link: https://x/y',
      });
      await jobs.drain();
      expect(received).toHaveLength(1);
      expect(received[0]).toContain('To: grace@acme-telecom.com');
      expect(received[0]).toContain('Your link: https://x/y');
      const [row] = await database.db
        .selectFrom('outbox_messages')
        .select(['status', 'purge_after', 'body_encrypted'])
        .where('recipient', '=', 'grace@acme-telecom.com')
        .execute();
      expect(row?.status).toBe('sent');
      expect(row?.purge_after).toBeInstanceOf(Date);
      expect(row?.body_encrypted).not.toContain('https://x/y');
    } finally {
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
    }
  });

  it('keeps a message pending with a later retry when the SMTP server refuses it', async () => {
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onRcptTo(_address, _session, callback) {
        callback(new Error('mailbox unavailable'));
      },
    });
    const port = await listen(smtp);
    try {
      const config = loadConfig({ SMTP_URL: `smtp://127.0.0.1:${port}` });
      const { outbox, jobs } = outboxWith(driversFor(config));
      await outbox.enqueue({ channel: 'email', to: 'refused@acme-telecom.com', subject: 'Hi', text: 'x' });
      await jobs.drain();
      const row = await database.db
        .selectFrom('outbox_messages')
        .selectAll()
        .where('recipient', '=', 'refused@acme-telecom.com')
        .executeTakeFirstOrThrow();
      expect(row.status).toBe('pending');
      expect(row.attempts).toBe(1);
      expect(row.last_error).toMatch(/mailbox unavailable/);
      const job = await database.db
        .selectFrom('jobs')
        .selectAll()
        .where('key', '=', `message:${row.id}`)
        .executeTakeFirstOrThrow();
      expect(job.state).toBe('queued');
      expect(job.last_error).toMatch(/mailbox unavailable/);
      expect(job.run_at.getTime()).toBeGreaterThan(Date.now());
    } finally {
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
    }
  });
});

describe('outbox delivery on the jobs runner', () => {
  it('delivers a message enqueued inside a transaction, without running its round inside that transaction', async () => {
    const errors: string[] = [];
    const capturing = pino({ level: 'error' }, { write: (line: string) => errors.push(line) });
    const sent: string[] = [];
    const record = async (message: { to: string }) => {
      sent.push(message.to);
    };
    const { outbox, jobs } = outboxWith({ email: record, sms: record, voice: record }, capturing);
    jobs.start(60_000);
    await inTransaction(database.db, () =>
      outbox.enqueue({ channel: 'sms', to: '+14155550199', subject: 'Code', text: 'Your code is 654321' }),
    );
    await jobs.stop();
    await jobs.drain();
    expect(errors).toEqual([]);
    expect(sent).toContain('+14155550199');
  });
});

describe('the SMS/voice webhook driver', () => {
  it('posts the message signed with HMAC-SHA256 of the body', async () => {
    let seen: { body: string; signature: string | undefined } | undefined;
    const gateway = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        seen = {
          body: Buffer.concat(chunks).toString('utf8'),
          signature: request.headers['x-switchboard-signature'] as string,
        };
        response.end('ok');
      });
    });
    const port = await listen(gateway);
    try {
      await webhookDriver(
        `http://127.0.0.1:${port}/otp`,
        'gateway-secret',
      )({
        channel: 'voice',
        to: '+14155550123',
        subject: 'Verification code',
        text: 'Your code is 123456',
      });
      expect(JSON.parse(seen?.body ?? '')).toEqual({
        channel: 'voice',
        to: '+14155550123',
        text: 'Your code is 123456',
      });
      expect(seen?.signature).toBe(
        createHmac('sha256', 'gateway-secret')
          .update(seen?.body ?? '')
          .digest('hex'),
      );
    } finally {
      gateway.close();
    }
  });

  it('fails the delivery when the gateway answers an error, so the worker retries', async () => {
    const gateway = http.createServer((_request, response) => response.writeHead(503).end());
    const port = await listen(gateway);
    try {
      await expect(
        webhookDriver(
          `http://127.0.0.1:${port}/otp`,
          's',
        )({ channel: 'sms', to: '+14155550123', subject: 's', text: 't' }),
      ).rejects.toThrow('503');
    } finally {
      gateway.close();
    }
  });
});
