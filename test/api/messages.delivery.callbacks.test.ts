import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v1 } from '../support/api-account.js';
import {
  type ReceivedCallback,
  signedWith,
  startCallbackReceiver,
  until,
} from '../support/callback-receiver.js';
import { loadSmsPrices, messagingAccount, usDestination } from '../support/messaging.js';
import { startTestServer, type TestServer } from '../support/server.js';

import { startLoopbackSmsc } from '../support/smsc.js';

/**
 * Status callbacks: each state a message reaches is sent to the message's `url` with Plivo's
 * fields, form-encoded (POST) or in the query (GET), signed with X-Plivo-Signature-V3 under the
 * Auth Token of the account that sent it; the official SDK's validateV3Signature checks them as a
 * customer's server would. The SMSC is the loopback SMPP server; the receiver is an HTTP server
 * of the test.
 */
const credentials = { systemId: 'switchboard', password: 's3cret' };
/** The first status callback to /flaky is answered 500, to see it come again. */
let failFlakyOnce = true;
let smsc: Awaited<ReturnType<typeof startLoopbackSmsc>>;
let server: TestServer;
let receiver: Awaited<ReturnType<typeof startCallbackReceiver>>;
beforeAll(async () => {
  smsc = await startLoopbackSmsc(credentials);
  server = await startTestServer({ SMSC_URL: smsc.url() });
  receiver = await startCallbackReceiver((callback) => {
    if (callback.path === '/flaky' && failFlakyOnce) {
      failFlakyOnce = false;
      return 500;
    }
    return 200;
  });
  await loadSmsPrices(server);
});
afterAll(async () => {
  await server.stop();
  await smsc.close();
  await receiver.close();
});

async function send(
  sender: { authId: string; authToken: string },
  body: Record<string, unknown>,
): Promise<string> {
  const answer = await v1(server, sender, 'POST', `/Account/${sender.authId}/Message/`, { body });
  expect(answer.status, JSON.stringify(answer.body)).toBe(202);
  return answer.body.message_uuid[0] as string;
}

const callbacksOf = (uuid: string) =>
  receiver.received.filter((callback) => callback.params.MessageUUID === uuid);

/** Waits for the callbacks of a message with these statuses (in any order: they are independent jobs). */
const callbacksWith = (uuid: string, statuses: string[]) =>
  until(`callbacks ${statuses.join(', ')} for ${uuid}`, () => {
    const got = callbacksOf(uuid).filter((callback) => callback.status === 200);
    return statuses.every((status) => got.some((callback) => callback.params.Status === status))
      ? new Map(got.map((callback) => [callback.params.Status, callback] as const))
      : undefined;
  });

/** Delivers the message's single part with this receipt stat, once the SMSC has it and the send is recorded. */
async function receipt(to: string, stat: 'DELIVRD' | 'EXPIRED') {
  const part = await until(`the SMSC has the message to ${to}`, () =>
    smsc.submitted.find((submitted) => submitted.to === to),
  );
  await until(`the receipt for ${part.messageId} is taken`, async () =>
    (await smsc.sendReceipt(part.messageId, stat)) === 0 ? true : undefined,
  );
}

const messageTime = expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);

describe('status callbacks', () => {
  it('POSTs each state, form-encoded with Plivo’s fields and signed with the Auth Token', async () => {
    const account = await messagingAccount(server);
    const to = usDestination();
    const uuid = await send(account, {
      src: account.number,
      dst: to,
      text: 'Your code is 4821',
      url: receiver.url('/status?src=test'),
      method: 'POST',
    });
    await callbacksWith(uuid, ['queued', 'sent']);
    await receipt(to, 'DELIVRD');
    const callbacks = await callbacksWith(uuid, ['queued', 'sent', 'delivered']);

    const common = {
      MessageUUID: uuid,
      From: account.number,
      To: to,
      Type: 'sms',
      Units: '1',
      TotalRate: '0.00650',
      ErrorCode: '',
      MessageTime: messageTime,
    };
    expect(callbacks.get('queued')?.params).toMatchObject({
      ...common,
      Status: 'queued',
      TotalAmount: '0.00000',
    });
    expect(callbacks.get('sent')?.params).toMatchObject({
      ...common,
      Status: 'sent',
      TotalAmount: '0.00650',
    });
    expect(callbacks.get('delivered')?.params).toMatchObject({
      ...common,
      Status: 'delivered',
      TotalAmount: '0.00650',
      DeliveryReportTime: messageTime,
    });
    for (const callback of callbacks.values()) {
      expect(callback).toMatchObject({
        method: 'POST',
        path: '/status',
        contentType: 'application/x-www-form-urlencoded',
      });
      expect(callback.url).toBe(receiver.url('/status?src=test'));
      expect(signedWith(callback, account.authToken), callback.params.Status).toBe(true);
      expect(signedWith(callback, `${account.authToken}x`)).toBe(false);
    }
    // Each callback has its own nonce.
    expect(new Set([...callbacks.values()].map((callback) => callback.nonce)).size).toBe(3);
  });

  it('GETs each state with the fields in the query, signed over the URL, and says why it was undelivered', async () => {
    const account = await messagingAccount(server);
    const to = usDestination();
    const uuid = await send(account, {
      src: account.number,
      dst: to,
      text: 'Ünïcödé is fine too: 🚚',
      url: receiver.url('/status/get?tag=a+b'),
      method: 'GET',
    });
    await callbacksWith(uuid, ['queued', 'sent']);
    await receipt(to, 'EXPIRED');
    const callbacks = await callbacksWith(uuid, ['queued', 'sent', 'undelivered']);

    expect(callbacks.get('undelivered')?.params).toMatchObject({
      tag: 'a b',
      MessageUUID: uuid,
      From: account.number,
      To: to,
      Status: 'undelivered',
      ErrorCode: '420',
      Units: '1',
      TotalAmount: '0.00650',
    });
    for (const callback of callbacks.values()) {
      expect(callback).toMatchObject({ method: 'GET', path: '/status/get' });
      expect(callback.url.startsWith(`${receiver.url('/status/get?tag=a+b')}&`)).toBe(true);
      expect(signedWith(callback, account.authToken), callback.params.Status).toBe(true);
      // The fields are signed: a receiver that sees one changed refuses it.
      const tampered: ReceivedCallback = { ...callback, url: callback.url.replace(`To=${to}`, 'To=1') };
      expect(signedWith(tampered, account.authToken)).toBe(false);
    }
  });

  it('says failed, with its error code and nothing charged, when a message expires before it is sent', async () => {
    const account = await messagingAccount(server);
    const sendAt = new Date(server.clock.now().getTime() + 60_000).toISOString();
    const uuid = await send(account, {
      src: account.number,
      dst: usDestination(),
      text: 'Too late',
      url: receiver.url('/status/failed'),
      send_at: sendAt,
      message_expiry: 5,
    });
    server.clock.advanceMilliseconds(120_000);
    await server.system.messageDispatcher.round();

    const callbacks = await callbacksWith(uuid, ['failed']);
    expect(callbacks.get('failed')?.params).toMatchObject({
      MessageUUID: uuid,
      Status: 'failed',
      ErrorCode: '420',
      TotalAmount: '0.00000',
    });
    expect(signedWith(callbacks.get('failed') as ReceivedCallback, account.authToken)).toBe(true);
  });

  it('signs a subaccount’s callbacks with the subaccount’s Auth Token', async () => {
    const account = await messagingAccount(server);
    const created = await account.client.post('/api/subaccounts', { name: 'Support desk' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const subaccount = { authId: created.body.authId as string, authToken: created.body.authToken as string };
    const moved = await v1(server, account, 'POST', `/Account/${account.authId}/Number/${account.number}/`, {
      body: { subaccount: subaccount.authId },
    });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);

    const uuid = await send(subaccount, {
      src: account.number,
      dst: usDestination(),
      text: 'From the support desk',
      url: receiver.url('/status/sub'),
    });
    const callbacks = await callbacksWith(uuid, ['queued', 'sent']);
    for (const callback of callbacks.values()) {
      expect(signedWith(callback, subaccount.authToken), callback.params.Status).toBe(true);
      expect(signedWith(callback, account.authToken), callback.params.Status).toBe(false);
    }
  });

  it('sends a callback again after the backoff when the receiver answered 500', async () => {
    const account = await messagingAccount(server);
    const uuid = await send(account, {
      src: account.number,
      dst: usDestination(),
      text: 'Try again',
      url: receiver.url('/flaky'),
    });
    const refused = await until('the receiver refused a callback', () =>
      callbacksOf(uuid).find((callback) => callback.status === 500),
    );
    const status = refused.params.Status;
    const attempts = () => callbacksOf(uuid).filter((callback) => callback.params.Status === status);

    // Not again before the backoff (10 s) has passed.
    await server.system.jobs.drain();
    expect(attempts()).toHaveLength(1);

    server.clock.advanceMilliseconds(10_000);
    await server.system.jobs.drain();
    const retried = await until('the callback came again', () => attempts()[1]);
    expect(retried.status).toBe(200);
    expect(retried.params).toEqual(refused.params);
    expect(retried.nonce).not.toBe(refused.nonce);
    expect(signedWith(retried, account.authToken)).toBe(true);
  });
});
