import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v1 } from '../support/api-account.js';
import { signedWith, startCallbackReceiver, until } from '../support/callback-receiver.js';
import { messagingAccount, usDestination } from '../support/messaging.js';
import { messagesTo } from '../support/outbox.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * Development's default carrier (no SMSC_URL): nothing leaves the machine. The text is shown in
 * /dev/outbox (the sms channel) and a simulated receipt, a job due a moment later, makes the
 * message delivered, so a newcomer sees the whole lifecycle and its callbacks.
 */
let server: TestServer;
let receiver: Awaited<ReturnType<typeof startCallbackReceiver>>;
beforeAll(async () => {
  server = await startTestServer();
  receiver = await startCallbackReceiver();
});
afterAll(async () => {
  await server.stop();
  await receiver.close();
});

describe('development’s outbox carrier', () => {
  it('shows the text in /dev/outbox and delivers the message once the simulated receipt’s job runs', async () => {
    const account = await messagingAccount(server);
    // Time stands still, so the simulated receipt (2 s after the send) is due only when the test says.
    server.clock.freeze();
    const to = usDestination();
    const text = 'Welcome aboard! '.repeat(12);
    const answer = await v1(server, account, 'POST', `/Account/${account.authId}/Message/`, {
      body: { src: account.number, dst: to, text, url: receiver.url('/status') },
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(202);
    const [uuid] = answer.body.message_uuid as string[];
    const messageOf = async () =>
      (await v1(server, account, 'GET', `/Account/${account.authId}/Message/${uuid}/`)).body;

    await until('the message is sent', async () => (await messageOf()).message_state === 'sent');
    const shown = await messagesTo(server, `+${to}`);
    expect(shown).toEqual([
      expect.objectContaining({ channel: 'sms', subject: `SMS from ${account.number}`, text }),
    ]);
    expect((await messageOf()).units).toBe(2);

    // The receipt is not due yet: the message stays sent.
    await server.system.jobs.drain();
    expect((await messageOf()).message_state).toBe('sent');

    server.clock.advanceMilliseconds(2_000);
    await server.system.jobs.drain();
    expect(await messageOf()).toMatchObject({ message_state: 'delivered', total_amount: '0.01300' });

    const delivered = await until('the delivered callback came', () =>
      receiver.received.find(
        (callback) => callback.params.MessageUUID === uuid && callback.params.Status === 'delivered',
      ),
    );
    expect(signedWith(delivered, account.authToken)).toBe(true);
  });
});
