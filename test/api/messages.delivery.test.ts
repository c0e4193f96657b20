import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v1 } from '../support/api-account.js';
import { signedWith, startCallbackReceiver, until } from '../support/callback-receiver.js';
import { loadSmsPrices, messagingAccount, usDestination } from '../support/messaging.js';
import { startTestServer, type TestServer } from '../support/server.js';

import { startLoopbackSmsc } from '../support/smsc.js';

/**
 * Delivery through a real SMSC: the loopback SMPP server of test/support/smsc.ts is the operator's
 * SMSC (SMSC_URL). A message sent through POST …/Message/ leaves as submit_sm, is charged once when
 * the SMSC takes it, and the SMSC's deliver_sm receipts move it to Plivo's final states. A message
 * a handset sends to a rented number comes in as a deliver_sm and reaches the number's application.
 */
const credentials = { systemId: 'switchboard', password: 's3cret' };
let smsc: Awaited<ReturnType<typeof startLoopbackSmsc>>;
let server: TestServer;
let receiver: Awaited<ReturnType<typeof startCallbackReceiver>>;
beforeAll(async () => {
  smsc = await startLoopbackSmsc(credentials);
  server = await startTestServer({ SMSC_URL: smsc.url() });
  receiver = await startCallbackReceiver();
  await loadSmsPrices(server);
});
afterAll(async () => {
  await server.stop();
  await smsc.close();
  await receiver.close();
});

type Account = Awaited<ReturnType<typeof messagingAccount>>;

async function send(account: Account, body: Record<string, unknown>): Promise<string[]> {
  const answer = await v1(server, account, 'POST', `/Account/${account.authId}/Message/`, {
    body: { src: account.number, ...body },
  });
  expect(answer.status, JSON.stringify(answer.body)).toBe(202);
  return answer.body.message_uuid as string[];
}

const messageOf = async (account: Account, uuid: string) =>
  (await v1(server, account, 'GET', `/Account/${account.authId}/Message/${uuid}/`)).body;

/** Waits until the message is in this state, and answers it as GET …/Message/{uuid}/ shows it. */
const reaches = (account: Account, uuid: string, state: string) =>
  until(`message ${uuid} is ${state}`, async () => {
    const message = await messageOf(account, uuid);
    return message.message_state === state ? message : undefined;
  });

/** The SMSC's ids of the parts it was sent for this destination, in order. */
const partsTo = (to: string) => smsc.submitted.filter((part) => part.to === to);

describe('a message through the SMSC', () => {
  it('leaves as one submit_sm, is charged once when the SMSC takes it, and a DELIVRD receipt delivers it', async () => {
    const account = await messagingAccount(server);
    const to = usDestination();
    const before = await v1(server, account, 'GET', `/Account/${account.authId}/`);

    const [uuid = ''] = await send(account, { dst: `+${to}`, text: 'Your table is ready' });

    const sent = await reaches(account, uuid, 'sent');
    expect(sent).toMatchObject({
      units: 1,
      total_rate: '0.00650',
      total_amount: '0.00650',
      error_code: null,
    });
    expect(partsTo(to)).toEqual([
      expect.objectContaining({
        from: account.number,
        to,
        dataCoding: 0,
        esmClass: 0,
        registeredDelivery: 1,
        concatenation: null,
        text: 'Your table is ready',
      }),
    ]);
    const [part] = partsTo(to);

    expect(await smsc.sendReceipt(part?.messageId ?? '', 'DELIVRD')).toBe(0);
    const delivered = await messageOf(account, uuid);
    expect(delivered).toMatchObject({
      message_state: 'delivered',
      error_code: null,
      total_amount: '0.00650',
    });

    // Charged once, under the message's uuid: one usage record, the balance down by one segment's price.
    const records = await server.system.database.db
      .selectFrom('usage_records')
      .select(['event_id', 'product', 'direction', 'billed_quantity', 'amount_micros'])
      .where('event_id', '=', uuid)
      .execute();
    expect(records).toEqual([
      { event_id: uuid, product: 'sms', direction: 'outbound', billed_quantity: 1n, amount_micros: 6_500n },
    ]);
    const after = await v1(server, account, 'GET', `/Account/${account.authId}/`);
    expect(Number(before.body.cash_credits) - Number(after.body.cash_credits)).toBeCloseTo(0.0065, 5);
    const usage = await account.client.get('/api/billing/usage?product=sms');
    expect(usage.status, JSON.stringify(usage.body)).toBe(200);
    expect(usage.body.total).toEqual({ events: '1', amount: '0.00650' });
  });

  it('maps UNDELIV, EXPIRED and REJECTD receipts to undelivered with error codes 1000, 420 and 10', async () => {
    const account = await messagingAccount(server);
    for (const [stat, errorCode] of [
      ['UNDELIV', '1000'],
      ['EXPIRED', '420'],
      ['REJECTD', '10'],
    ] as const) {
      const to = usDestination();
      const [uuid = ''] = await send(account, { dst: to, text: `Reminder (${stat})` });
      await reaches(account, uuid, 'sent');
      const [part] = partsTo(to);
      expect(await smsc.sendReceipt(part?.messageId ?? '', stat)).toBe(0);
      expect(await messageOf(account, uuid), stat).toMatchObject({
        message_state: 'undelivered',
        error_code: errorCode,
        total_amount: '0.00650',
      });
    }
    const undelivered = await v1(
      server,
      account,
      'GET',
      `/Account/${account.authId}/Message/?message_state=undelivered&error_code=420`,
    );
    expect(undelivered.body.objects).toHaveLength(1);
  });

  it('sends a UCS-2 message with data_coding 8', async () => {
    const account = await messagingAccount(server);
    const to = usDestination();
    const text = 'Ваш код 482913 👋';
    const [uuid = ''] = await send(account, { dst: to, text });
    await reaches(account, uuid, 'sent');
    expect(partsTo(to)).toEqual([expect.objectContaining({ dataCoding: 8, concatenation: null, text })]);
  });

  it('sends a 2-part message as two concatenated submit_sm and delivers it only when both parts are', async () => {
    const account = await messagingAccount(server);
    const to = usDestination();
    const text = 'The quick brown fox jumps over the lazy dog. '.repeat(4);
    const [uuid = ''] = await send(account, { dst: to, text });

    const sent = await reaches(account, uuid, 'sent');
    expect(sent).toMatchObject({ units: 2, total_amount: '0.01300' });
    const parts = partsTo(to);
    expect(parts).toHaveLength(2);
    const reference = parts[0]?.concatenation?.reference;
    expect(parts.map((part) => part.concatenation)).toEqual([
      { reference, total: 2, sequence: 1 },
      { reference, total: 2, sequence: 2 },
    ]);
    expect(parts.every((part) => (part.esmClass & 0x40) === 0x40 && part.dataCoding === 0)).toBe(true);
    expect(parts.map((part) => part.text).join('')).toBe(text);

    expect(await smsc.sendReceipt(parts[1]?.messageId ?? '', 'DELIVRD')).toBe(0);
    expect((await messageOf(account, uuid)).message_state).toBe('sent');
    expect(await smsc.sendReceipt(parts[0]?.messageId ?? '', 'DELIVRD')).toBe(0);
    expect((await messageOf(account, uuid)).message_state).toBe('delivered');
  });

  it('makes a 2-part message undelivered when one part is not delivered', async () => {
    const account = await messagingAccount(server);
    const to = usDestination();
    const [uuid = ''] = await send(account, { dst: to, text: 'x'.repeat(200) });
    await reaches(account, uuid, 'sent');
    const [first, second] = partsTo(to);

    expect(await smsc.sendReceipt(first?.messageId ?? '', 'DELIVRD')).toBe(0);
    expect(await smsc.sendReceipt(second?.messageId ?? '', 'EXPIRED')).toBe(0);
    expect(await messageOf(account, uuid)).toMatchObject({ message_state: 'undelivered', error_code: '420' });
  });

  it('refuses a receipt for an id no sent message has, and takes it when offered again after the send is recorded', async () => {
    const account = await messagingAccount(server);
    const to = usDestination();
    const nextId = `smsc-${smsc.submitted.length + 1}`;

    // The SMSC's receipt overtakes the record of the send: refused, so the SMSC keeps it.
    expect(await smsc.sendReceipt(nextId, 'DELIVRD')).not.toBe(0);

    const [uuid = ''] = await send(account, { dst: to, text: 'Overtaken' });
    await reaches(account, uuid, 'sent');
    expect(partsTo(to).map((part) => part.messageId)).toEqual([nextId]);
    expect(await smsc.sendReceipt(nextId, 'DELIVRD')).toBe(0);
    expect((await messageOf(account, uuid)).message_state).toBe('delivered');
  });
});

describe('a message from a handset', () => {
  it('is stored as received and posted, signed, to the message_url of the number’s application', async () => {
    const account = await messagingAccount(server);
    const application = await v1(server, account, 'POST', `/Account/${account.authId}/Application/`, {
      body: { app_name: 'Replies', message_url: receiver.url('/inbound'), message_method: 'POST' },
    });
    expect(application.status, JSON.stringify(application.body)).toBe(200);
    const linked = await v1(server, account, 'POST', `/Account/${account.authId}/Number/${account.number}/`, {
      body: { app_id: application.body.app_id },
    });
    expect(linked.status, JSON.stringify(linked.body)).toBe(200);
    const handset = usDestination();

    expect(await smsc.sendInbound({ from: handset, to: account.number, text: 'Да, в 7 👍' })).toBe(0);

    const listed = await v1(
      server,
      account,
      'GET',
      `/Account/${account.authId}/Message/?message_direction=inbound`,
    );
    expect(listed.body.objects).toEqual([
      expect.objectContaining({
        message_direction: 'inbound',
        message_state: 'received',
        from_number: handset,
        to_number: account.number,
        units: 1,
        total_rate: '0.00100',
        total_amount: '0.00100',
      }),
    ]);
    const uuid = listed.body.objects[0].message_uuid;
    const posted = await until('the application got the message', () =>
      receiver.received.find((callback) => callback.params.MessageUUID === uuid),
    );
    expect(posted).toMatchObject({
      method: 'POST',
      path: '/inbound',
      contentType: 'application/x-www-form-urlencoded',
      params: expect.objectContaining({
        From: handset,
        To: account.number,
        Type: 'sms',
        Text: 'Да, в 7 👍',
        MessageUUID: uuid,
      }),
    });
    expect(signedWith(posted, account.authToken)).toBe(true);
    expect(signedWith(posted, `${account.authToken}x`)).toBe(false);
  });

  it('is dropped (and acknowledged) when no account rents the number', async () => {
    const nobodys = usDestination();
    expect(await smsc.sendInbound({ from: usDestination(), to: nobodys, text: 'hello?', gsm: true })).toBe(0);
    const stored = await server.system.database.db
      .selectFrom('messages')
      .select('id')
      .where('to_number', '=', nobodys)
      .execute();
    expect(stored).toEqual([]);
  });
});
