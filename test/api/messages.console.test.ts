import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCredit, apiAccount, fundedAccount, v1 } from '../support/api-account.js';
import type { ConsoleClient } from '../support/browser-client.js';
import { loadSmsPrices, rentNumber, stockNumber, US_SMS_RATE, usDestination } from '../support/messaging.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { invitedMember } from '../support/team.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  await loadSmsPrices(server);
});
afterAll(() => server.stop());

/** An account with credit (10.00 unless told) and a rented US number with SMS, on this file's prices. */
async function messagingAccount(credit = '10') {
  const account = await fundedAccount(server, credit);
  const number = await stockNumber(server);
  await rentNumber(server, account, number);
  return { ...account, number };
}

/**
 * Waits for the message to reach `state` while dispatch rounds and due jobs run (the server's own
 * dispatcher and jobs runner may take them first, on PostgreSQL in parallel).
 */
async function reaches(client: ConsoleClient, uuid: string, state: string) {
  await expect
    .poll(
      async () => {
        await server.system.messageDispatcher.round();
        await server.system.jobs.drain();
        return (await client.get(`/api/messaging/messages/${uuid}`)).body.state;
      },
      { timeout: 15_000, interval: 50 },
    )
    .toBe(state);
}

/** The outbox carrier takes the message, and its receipt (due 2 s later on the server's clock) arrives. */
async function deliver(client: ConsoleClient, uuid: string) {
  await reaches(client, uuid, 'sent');
  server.clock.advanceMilliseconds(3_000);
  await reaches(client, uuid, 'delivered');
}

describe('Messaging > Logs and the test SMS form', () => {
  it('sends a test SMS from the console and shows it in the logs with its rate, cost and delivery timeline', async () => {
    const owner = await messagingAccount();
    const to = usDestination();
    const sent = await owner.client.post('/api/messaging/messages', {
      src: owner.number,
      dst: `+${to}`,
      text: 'Hello from the console',
    });
    expect(sent.status, JSON.stringify(sent.body)).toBe(202);
    expect(sent.body.invalidNumbers).toEqual([]);
    const uuid: string = sent.body.messageUuids[0];

    await deliver(owner.client, uuid);

    const detail = await owner.client.get(`/api/messaging/messages/${uuid}`);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({
      uuid,
      direction: 'outbound',
      state: 'delivered',
      from: owner.number,
      to,
      subaccount: null,
      units: 1,
      rate: US_SMS_RATE,
      amount: US_SMS_RATE,
      text: 'Hello from the console',
      errorCode: null,
    });
    expect(detail.body.timeline.map((event: { state: string }) => event.state)).toEqual([
      'queued',
      'sent',
      'delivered',
    ]);
    expect(Number.isNaN(Date.parse(detail.body.timeline[2].at))).toBe(false);

    const delivered = await owner.client.get(`/api/messaging/messages?state=delivered&toNumber=%2B${to}`);
    expect(delivered.body.total).toBe(1);
    expect(delivered.body.messages[0]).toMatchObject({ uuid, state: 'delivered' });
    const failed = await owner.client.get('/api/messaging/messages?state=failed');
    expect(failed.body).toEqual({ messages: [], total: 0 });
    const sinceTomorrow = new Date(Date.now() + 86_400_000).toISOString();
    expect((await owner.client.get(`/api/messaging/messages?from=${sinceTomorrow}`)).body.total).toBe(0);
    expect((await owner.client.get('/api/messaging/messages?from=yesterday')).status).toBe(400);
  });

  it('sends as a subaccount from the sender ID whitelisted for it, and refuses its sibling’s', async () => {
    const owner = await messagingAccount();
    const retail = (await owner.client.post('/api/subaccounts', { name: 'Retail' })).body;
    const wholesale = (await owner.client.post('/api/subaccounts', { name: 'Wholesale' })).body;
    const whitelisted = await owner.client.post('/api/messaging/sender-ids', {
      senderId: 'RETAIL',
      subaccount: retail.authId,
    });
    expect(whitelisted.status, JSON.stringify(whitelisted.body)).toBe(201);
    expect(whitelisted.body).toMatchObject({
      senderId: 'RETAIL',
      kind: 'alphanumeric',
      subaccount: { authId: retail.authId, name: 'Retail' },
    });

    const senders = await owner.client.get('/api/messaging/senders');
    expect(senders.body.senders).toEqual(
      expect.arrayContaining([
        { src: owner.number, kind: 'number', subaccount: null },
        { src: 'RETAIL', kind: 'sender_id', subaccount: { authId: retail.authId, name: 'Retail' } },
      ]),
    );

    const asRetail = await owner.client.post('/api/messaging/messages', {
      src: 'RETAIL',
      dst: usDestination(),
      text: 'Your order shipped',
      subaccount: retail.authId,
    });
    expect(asRetail.status, JSON.stringify(asRetail.body)).toBe(202);
    const [uuid] = asRetail.body.messageUuids as string[];
    const listed = await owner.client.get(`/api/messaging/messages?subaccount=${retail.authId}`);
    expect(listed.body.messages).toEqual([expect.objectContaining({ uuid, subaccount: retail.authId })]);

    const asSibling = await owner.client.post('/api/messaging/messages', {
      src: 'RETAIL',
      dst: usDestination(),
      text: 'Not ours',
      subaccount: wholesale.authId,
    });
    expect(asSibling.status).toBe(400);
    expect(asSibling.body.detail).toContain('RETAIL is neither a number');
    expect(asSibling.body.errors).toEqual([expect.objectContaining({ field: 'src' })]);

    const notOurs = await owner.client.post('/api/messaging/messages', {
      src: owner.number,
      dst: usDestination(),
      text: 'Hello',
      subaccount: 'SA00000000000000000000',
    });
    expect(notOurs.status).toBe(400);
    expect(notOurs.body.code).toBe('invalid_subaccount');

    expect((await owner.client.patch(`/api/subaccounts/${retail.authId}`, { enabled: false })).status).toBe(
      204,
    );
    const disabled = await owner.client.post('/api/messaging/messages', {
      src: 'RETAIL',
      dst: usDestination(),
      text: 'Your order shipped',
      subaccount: retail.authId,
    });
    expect([disabled.status, disabled.body.code]).toEqual([403, 'subaccount_disabled']);
    expect(disabled.body.detail).toContain('Retail is disabled');
  });

  it('refuses a send the free credit cannot pay, queuing nothing', async () => {
    const owner = await messagingAccount('0.80');
    // Renting the number took the 0.80: nothing is left for the message.
    const refused = await owner.client.post('/api/messaging/messages', {
      src: owner.number,
      dst: usDestination(),
      text: 'Hello',
    });
    expect(refused.status).toBe(402);
    expect(refused.body.detail).toContain('out of credit');
    expect((await owner.client.get('/api/messaging/messages')).body.total).toBe(0);
    await addCredit(server, owner.accountId, '1');
    const paid = await owner.client.post('/api/messaging/messages', {
      src: owner.number,
      dst: usDestination(),
      text: 'Hello',
    });
    expect(paid.status, JSON.stringify(paid.body)).toBe(202);
  });

  it('lets Support read the logs but not send, and keeps them from Financial Analysts', async () => {
    const owner = await messagingAccount();
    const sent = await owner.client.post('/api/messaging/messages', {
      src: owner.number,
      dst: usDestination(),
      text: 'Hello',
    });
    const [uuid] = sent.body.messageUuids as string[];
    const support = await invitedMember(server, owner.client, 'support');
    expect((await support.client.get(`/api/messaging/messages/${uuid}`)).status).toBe(200);
    const refused = await support.client.post('/api/messaging/messages', {
      src: owner.number,
      dst: usDestination(),
      text: 'Hello',
    });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('role_not_permitted');
    const analyst = await invitedMember(server, owner.client, 'financial_analyst');
    expect((await analyst.client.get('/api/messaging/messages')).status).toBe(403);
    const developer = await invitedMember(server, owner.client, 'developer');
    const byDeveloper = await developer.client.post('/api/messaging/messages', {
      src: owner.number,
      dst: usDestination(),
      text: 'Hello',
    });
    expect(byDeveloper.status, JSON.stringify(byDeveloper.body)).toBe(202);
  });

  it('cancels a message scheduled through the API, which then shows canceled and can no longer be canceled', async () => {
    const owner = await messagingAccount();
    const sendAt = new Date(server.clock.now().getTime() + 3_600_000).toISOString();
    const scheduled = await v1(server, owner, 'POST', `/Account/${owner.authId}/Message/`, {
      body: { src: owner.number, dst: usDestination(), text: 'Tomorrow’s reminder', send_at: sendAt },
    });
    expect(scheduled.status, JSON.stringify(scheduled.body)).toBe(202);
    const [uuid] = scheduled.body.message_uuid as string[];
    const listed = await owner.client.get('/api/messaging/messages?state=scheduled');
    expect(listed.body.messages).toEqual([
      expect.objectContaining({ uuid, state: 'scheduled', sendAt: new Date(sendAt).toISOString() }),
    ]);

    expect((await owner.client.delete(`/api/messaging/messages/${uuid}`)).status).toBe(204);
    const detail = await owner.client.get(`/api/messaging/messages/${uuid}`);
    expect(detail.body.state).toBe('canceled');
    expect(detail.body.timeline.map((event: { state: string }) => event.state)).toEqual([
      'scheduled',
      'canceled',
    ]);
    const again = await owner.client.delete(`/api/messaging/messages/${uuid}`);
    expect(again.status).toBe(409);
    expect(again.body.detail).toContain('only a scheduled message can be canceled');
  });

  it('answers 404 for another account’s message', async () => {
    const owner = await messagingAccount();
    const sent = await owner.client.post('/api/messaging/messages', {
      src: owner.number,
      dst: usDestination(),
      text: 'Hello',
    });
    const [uuid] = sent.body.messageUuids as string[];
    const other = await apiAccount(server);
    const answer = await other.client.get(`/api/messaging/messages/${uuid}`);
    expect(answer.status).toBe(404);
    expect((await other.client.get('/api/messaging/messages')).body.total).toBe(0);
  });
});

describe('Messaging > Sender IDs', () => {
  it('whitelists sender IDs for the main account and each subaccount, refuses a duplicate, and removes one', async () => {
    const owner = await apiAccount(server);
    const branch = (await owner.client.post('/api/subaccounts', { name: 'Branch' })).body;
    const main = await owner.client.post('/api/messaging/sender-ids', { senderId: 'ACME' });
    expect(main.status, JSON.stringify(main.body)).toBe(201);
    expect(main.body.subaccount).toBeNull();
    const forBranch = await owner.client.post('/api/messaging/sender-ids', {
      senderId: '+1 415 555 0123',
      subaccount: branch.authId,
    });
    expect(forBranch.body).toMatchObject({ senderId: '+14155550123', kind: 'number' });
    const again = await owner.client.post('/api/messaging/sender-ids', { senderId: 'ACME' });
    expect(again.status).toBe(409);
    const badShape = await owner.client.post('/api/messaging/sender-ids', { senderId: 'A!' });
    expect(badShape.status).toBe(400);
    expect(badShape.body.detail).toContain('3 to 11');

    const listed = await owner.client.get('/api/messaging/sender-ids');
    expect(
      listed.body.senderIds.map((row: { senderId: string; subaccount: { name: string } | null }) => [
        row.senderId,
        row.subaccount?.name ?? 'main',
      ]),
    ).toEqual([
      ['ACME', 'main'],
      ['+14155550123', 'Branch'],
    ]);
    // The Subaccounts page shows the same list for the subaccount.
    const onSubaccountsPage = await owner.client.get(`/api/subaccounts/${branch.authId}/sender-ids`);
    expect(onSubaccountsPage.body.senderIds).toEqual([expect.objectContaining({ senderId: '+14155550123' })]);

    expect((await owner.client.delete(`/api/messaging/sender-ids/${forBranch.body.id}`)).status).toBe(204);
    expect((await owner.client.delete(`/api/messaging/sender-ids/${forBranch.body.id}`)).status).toBe(404);
    const other = await apiAccount(server);
    expect((await other.client.delete(`/api/messaging/sender-ids/${main.body.id}`)).status).toBe(404);
    expect((await owner.client.get('/api/messaging/sender-ids')).body.senderIds).toHaveLength(1);
  });
});
