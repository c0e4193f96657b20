import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleClient } from '../support/browser-client.js';
import { strongPassword, uniqueEmail } from '../support/journeys.js';
import { messagesTo } from '../support/outbox.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

const outbox = (base: string, headers: Record<string, string> = {}) =>
  fetch(`${base}/dev/outbox`, { headers: { accept: 'application/json', ...headers } });

describe('the development outbox', () => {
  it('shows the messages sent to a client on this machine', async () => {
    const email = uniqueEmail();
    await new ConsoleClient(server.url).post('/api/signup', { name: 'Ada', email, password: strongPassword });
    const messages = await messagesTo(server, email);
    expect(messages.map((m) => m.subject)).toEqual(['Verify your email address']);
  });

  it('refuses a client on another machine, also when a trusted proxy on this one forwards it', async () => {
    const email = uniqueEmail();
    await new ConsoleClient(server.url).post('/api/signup', { name: 'Ada', email, password: strongPassword });
    const remote = await outbox(server.url, { 'x-forwarded-for': '203.0.113.9' });
    expect(remote.status).toBe(404);
    const body = await remote.text();
    expect(body).not.toContain(email);
    expect(body).not.toContain('token=');
  });

  it('does not exist in production mode', async () => {
    const production = await startTestServer({
      SWITCHBOARD_ENV: 'production',
      PUBLIC_URL: 'https://switchboard.example',
      SMTP_URL: 'smtp://127.0.0.1:2525',
    });
    try {
      for (const accept of ['application/json', 'text/html']) {
        const response = await outbox(production.url, { accept });
        expect(response.status, accept).toBe(404);
        expect(response.headers.get('content-type') ?? '', accept).not.toMatch(/json|html/);
      }
    } finally {
      await production.stop();
    }
  });
});
