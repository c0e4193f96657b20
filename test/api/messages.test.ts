import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v1 } from '../support/api-account.js';
import { messagingAccount, usDestination } from '../support/messaging.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

describe('the Message API', () => {
  it('queues a message, sends it through development’s outbox carrier and charges it once', async () => {
    const account = await messagingAccount(server);
    const to = usDestination();
    const answer = await v1(server, account, 'POST', `/Account/${account.authId}/Message/`, {
      body: { src: account.number, dst: to, text: 'Hello from Switchboard' },
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(202);
    expect(answer.body).toMatchObject({ message: 'message(s) queued' });
    const [uuid] = answer.body.message_uuid as string[];
    await server.system.messageDispatcher.round();
    const sent = await v1(server, account, 'GET', `/Account/${account.authId}/Message/${uuid}/`);
    expect(sent.body).toMatchObject({
      message_state: 'sent',
      units: 1,
      total_amount: '0.00650',
      to_number: to,
    });
  });
});
