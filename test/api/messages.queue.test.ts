import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addCredit, v1 } from '../support/api-account.js';
import {
  loadSmsPrices,
  messagingAccount,
  rentNumber,
  stockNumber,
  usDestination,
} from '../support/messaging.js';
import { startTestServer, type TestServer } from '../support/server.js';

// The dispatcher's own loop is stopped and time stands still unless a test moves it: each test
// runs dispatch rounds itself (`round()`) and says when a second has passed.
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  await loadSmsPrices(server);
  await server.system.messageDispatcher.stop();
});
afterAll(() => server.stop());
beforeEach(() => {
  server.clock.freeze();
  return () => server.clock.unfreeze();
});

const actor = { ip: 'test', userAgent: null };
type Account = Awaited<ReturnType<typeof messagingAccount>>;

/** Sends through POST …/Message/ (a 202 is required); answers the message uuids. */
async function send(account: Account, destinations: number, extra: Record<string, unknown> = {}) {
  const dst = Array.from({ length: destinations }, usDestination).join('<');
  const answer = await v1(server, account, 'POST', `/Account/${account.authId}/Message/`, {
    body: { src: account.number, dst, text: 'queued at the rate', ...extra },
  });
  expect(answer.status, JSON.stringify(answer.body)).toBe(202);
  return answer.body.message_uuid as string[];
}

const message = async (account: Account, uuid: string) => {
  const answer = await v1(server, account, 'GET', `/Account/${account.authId}/Message/${uuid}/`);
  expect(answer.status).toBe(200);
  return answer.body;
};

/** How many of the messages have left the queue (claimed by a dispatcher, sent or further). */
async function leftTheQueue(ids: string[]): Promise<number> {
  const rows = await server.system.database.db
    .selectFrom('messages')
    .select('state')
    .where('id', 'in', ids)
    .execute();
  return rows.filter((row) => row.state !== 'queued').length;
}

const usageRecordsOf = (ids: string[]) =>
  server.system.database.db
    .selectFrom('usage_records')
    .select('event_id')
    .where('event_id', 'in', ids)
    .execute();

describe('the queue drains at the account’s message rate', () => {
  it('lets another account’s message go past one account’s long queue', async () => {
    const busy = await messagingAccount(server);
    await server.system.rateLimits.set(actor, busy.accountId, { message: 1 });
    const queued = [...(await send(busy, 600)), ...(await send(busy, 600))];
    server.clock.advanceMilliseconds(1);
    const other = await messagingAccount(server);
    const [theirs] = (await send(other, 1)) as [string];
    // A round takes the 500 oldest due messages: the busy account's, which may send one of them.
    await server.system.messageDispatcher.round();
    await server.system.messageDispatcher.round();
    expect((await message(other, theirs)).message_state).toBe('sent');
    // The busy queue would take the first round of the tests after this one: canceled.
    await server.system.database.db
      .updateTable('messages')
      .set({ state: 'canceled' })
      .where('id', 'in', queued)
      .where('state', '=', 'queued')
      .execute();
  });

  it('accepts every message over the rate and sends at most 2 a second at a Message rate of 2', async () => {
    const account = await messagingAccount(server);
    await server.system.rateLimits.set(actor, account.accountId, { message: 2 });
    const ids = [...(await send(account, 6)), ...(await send(account, 4))];
    expect(ids).toHaveLength(10);

    const perSecond: number[] = [];
    let left = 0;
    for (let second = 0; second < 8; second++) {
      for (let round = 0; round < 3; round++) await server.system.messageDispatcher.round();
      const now = await leftTheQueue(ids);
      perSecond.push(now - left);
      left = now;
      server.clock.advanceMilliseconds(1000);
    }
    expect(perSecond).toEqual([2, 2, 2, 2, 2, 0, 0, 0]);
    const states = await Promise.all(ids.map(async (id) => (await message(account, id)).message_state));
    // Sent, and delivered once the simulated receipts (jobs on their own timer) came back.
    expect(states.filter((state) => state !== 'sent' && state !== 'delivered')).toEqual([]);
  });

  it('keeps another account’s queue to its own rate', async () => {
    const slow = await messagingAccount(server);
    const fast = await messagingAccount(server);
    await server.system.rateLimits.set(actor, slow.accountId, { message: 1 });
    await server.system.rateLimits.set(actor, fast.accountId, { message: 5 });
    const slowIds = await send(slow, 3);
    const fastIds = await send(fast, 5);
    await server.system.messageDispatcher.round();
    expect(await leftTheQueue(slowIds)).toBe(1);
    expect(await leftTheQueue(fastIds)).toBe(5);
  });

  it('counts a subaccount’s messages against its main account’s rate', async () => {
    const main = await messagingAccount(server);
    await server.system.rateLimits.set(actor, main.accountId, { message: 2 });
    const created = await v1(server, main, 'POST', `/Account/${main.authId}/Subaccount/`, {
      body: { name: 'EU', enabled: true },
    });
    expect(created.status).toBe(200);
    const sub = { authId: created.body.auth_id as string, authToken: created.body.auth_token as string };
    const subNumber = await stockNumber(server);
    await rentNumber(server, sub, subNumber);
    const mainIds = await send(main, 2);
    const subIds = await send({ ...main, ...sub, number: subNumber }, 2);
    for (let round = 0; round < 3; round++) await server.system.messageDispatcher.round();
    expect(await leftTheQueue([...mainIds, ...subIds])).toBe(2);
    server.clock.advanceMilliseconds(1000);
    await server.system.messageDispatcher.round();
    expect(await leftTheQueue([...mainIds, ...subIds])).toBe(4);
  });
});

describe('a message still queued after message_expiry', () => {
  it('fails with 420, is not charged, and its held credit is released', async () => {
    const account = await messagingAccount(server);
    await server.system.rateLimits.set(actor, account.accountId, { message: 1 });
    const before = await server.system.credit.state(account.accountId);
    const [first, second] = (await send(account, 2, { message_expiry: 60 })) as [string, string];
    expect((await server.system.credit.state(account.accountId)).heldMicros).toBe(13_000n);
    await server.system.messageDispatcher.round();
    expect((await message(account, first)).message_state).toBe('sent');
    expect((await message(account, second)).message_state).toBe('queued');

    server.clock.advanceMilliseconds(61_000);
    await server.system.messageDispatcher.round();
    const expired = await message(account, second);
    expect(expired).toMatchObject({
      message_state: 'failed',
      error_code: '420',
      total_amount: '0.00000',
      message_sent_time: null,
    });
    expect((await usageRecordsOf([first, second])).map((row) => row.event_id)).toEqual([first]);
    const after = await server.system.credit.state(account.accountId);
    expect(after.heldMicros).toBe(0n);
    expect(after.balanceMicros).toBe(before.balanceMicros - 6_500n);
    const failed = await v1(
      server,
      account,
      'GET',
      `/Account/${account.authId}/Message/?message_state=failed&error_code=420`,
    );
    expect(failed.body.objects.map((m: { message_uuid: string }) => m.message_uuid)).toEqual([second]);
  });
  it('expires after 3 hours when the request names no message_expiry', async () => {
    const account = await messagingAccount(server);
    await server.system.rateLimits.set(actor, account.accountId, { message: 1 });
    const [, second] = (await send(account, 2)) as [string, string];
    await server.system.messageDispatcher.round();
    expect((await message(account, second)).message_state).toBe('queued');
    server.clock.advanceMilliseconds(3 * 3_600_000 + 1000);
    await server.system.messageDispatcher.round();
    expect(await message(account, second)).toMatchObject({ message_state: 'failed', error_code: '420' });
    expect((await server.system.credit.state(account.accountId)).heldMicros).toBe(0n);
  });
});

describe('scheduled messages (send_at)', () => {
  const inMinutes = (minutes: number) =>
    new Date(server.clock.now().getTime() + minutes * 60_000).toISOString();

  it('are scheduled until their time, hold no credit meanwhile, and then go', async () => {
    const account = await messagingAccount(server);
    const before = await server.system.credit.state(account.accountId);
    const [uuid] = (await send(account, 1, { send_at: inMinutes(10) })) as [string];
    const scheduled = await message(account, uuid);
    expect(scheduled).toMatchObject({ message_state: 'scheduled', total_amount: '0.00000' });
    expect(scheduled.send_at).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+00:00$/);
    const listed = await v1(
      server,
      account,
      'GET',
      `/Account/${account.authId}/Message/?message_state=scheduled`,
    );
    expect(listed.body.objects.map((m: { message_uuid: string }) => m.message_uuid)).toEqual([uuid]);
    await server.system.messageDispatcher.round();
    expect((await message(account, uuid)).message_state).toBe('scheduled');
    expect((await server.system.credit.state(account.accountId)).heldMicros).toBe(before.heldMicros);

    server.clock.advanceMinutes(10);
    await server.system.messageDispatcher.round();
    expect((await message(account, uuid)).message_state).toBe('sent');
  });

  it('can be canceled while scheduled (204), not twice (409), and a canceled message is never sent', async () => {
    const account = await messagingAccount(server);
    const [uuid] = (await send(account, 1, { send_at: inMinutes(5) })) as [string];
    const path = `/Account/${account.authId}/Message/${uuid}/`;
    const canceled = await v1(server, account, 'DELETE', path);
    expect(canceled.status).toBe(204);
    expect((await message(account, uuid)).message_state).toBe('canceled');
    const again = await v1(server, account, 'DELETE', path);
    expect(again.status).toBe(409);
    expect(again.body.error).toMatch(/only a scheduled message can be canceled/);

    server.clock.advanceMinutes(6);
    await server.system.messageDispatcher.round();
    expect((await message(account, uuid)).message_state).toBe('canceled');
    expect(await usageRecordsOf([uuid])).toEqual([]);
  });

  it('refuses to cancel a message already queued', async () => {
    const account = await messagingAccount(server);
    const [uuid] = (await send(account, 1)) as [string];
    const refused = await v1(server, account, 'DELETE', `/Account/${account.authId}/Message/${uuid}/`);
    expect(refused.status).toBe(409);
  });

  /** Spends the account's free credit down to `leave` (in micros) with a staff debit. */
  async function spendDownTo(account: Account, leave: bigint) {
    const { freeMicros } = await server.system.credit.state(account.accountId);
    await server.system.credits.adjust({ ...actor, cli: true }, account.accountId, {
      amount: `-${Number(freeMicros - leave) / 1e6}`,
      reason: 'spent elsewhere',
      idempotencyKey: randomUUID(),
    });
  }

  it('are held while the account is out of credit when due, and go once credit arrives', async () => {
    const account = await messagingAccount(server);
    const [uuid] = (await send(account, 1, { send_at: inMinutes(5) })) as [string];
    await spendDownTo(account, 1_000n);

    server.clock.advanceMinutes(5);
    await server.system.messageDispatcher.round();
    expect((await message(account, uuid)).message_state).toBe('scheduled');
    expect((await server.system.credit.state(account.accountId)).heldMicros).toBe(0n);
    server.clock.advanceMinutes(1);
    await server.system.messageDispatcher.round();
    expect((await message(account, uuid)).message_state).toBe('scheduled');

    await addCredit(server, account.accountId, '1');
    await server.system.jobs.drain();
    expect((await message(account, uuid)).message_state).toBe('queued');
    await server.system.messageDispatcher.round();
    expect((await message(account, uuid)).message_state).toBe('sent');
    expect((await usageRecordsOf([uuid])).length).toBe(1);
  });

  it('fail with 900 when the account stays out of credit past their expiry, uncharged', async () => {
    const account = await messagingAccount(server);
    const [uuid] = (await send(account, 1, { send_at: inMinutes(5), message_expiry: 60 })) as [string];
    await spendDownTo(account, 0n);

    server.clock.advanceMinutes(5);
    await server.system.messageDispatcher.round();
    expect((await message(account, uuid)).message_state).toBe('scheduled');
    server.clock.advanceMilliseconds(61_000);
    await server.system.messageDispatcher.round();
    expect(await message(account, uuid)).toMatchObject({
      message_state: 'failed',
      error_code: '900',
      total_amount: '0.00000',
    });
    expect(await usageRecordsOf([uuid])).toEqual([]);

    await addCredit(server, account.accountId, '1');
    await server.system.jobs.drain();
    await server.system.messageDispatcher.round();
    expect((await message(account, uuid)).message_state).toBe('failed');
  });

  it('held for a subaccount at its spend cap, do not hold the main account’s', async () => {
    const main = await messagingAccount(server);
    const created = await v1(server, main, 'POST', `/Account/${main.authId}/Subaccount/`, {
      body: { name: 'Capped', enabled: true },
    });
    const sub = { authId: created.body.auth_id as string, authToken: created.body.auth_token as string };
    const subNumber = await stockNumber(server);
    await rentNumber(server, sub, subNumber);
    await server.system.credit.setSubaccountLimits(actor, main.accountId, sub.authId, {
      maxSessions: null,
      maxDestinationRate: null,
      // Its number's rental (0.80) counts as spent today: 0.001 is left, less than a message.
      dailySpendCap: '0.801',
    });
    const [capped] = (await send({ ...main, ...sub, number: subNumber }, 1, { send_at: inMinutes(5) })) as [
      string,
    ];
    server.clock.advanceMilliseconds(1000);
    const [mains] = (await send(main, 1, { send_at: inMinutes(5) })) as [string];

    server.clock.advanceMinutes(6);
    await server.system.messageDispatcher.round();
    expect((await message(main, capped)).message_state).toBe('scheduled');
    expect((await message(main, mains)).message_state).toBe('sent');
  });

  it('are not sent while the account is suspended, and go once it is reinstated', async () => {
    const account = await messagingAccount(server);
    const [uuid] = (await send(account, 1, { send_at: inMinutes(5) })) as [string];
    await server.system.suspensions.suspend(
      { ...actor, staffId: null },
      account.accountId,
      { reason: 'compliance_issue', details: 'Documents missing.' },
      'system',
    );
    server.clock.advanceMinutes(6);
    await server.system.messageDispatcher.round();
    await server.system.jobs.drain();
    await server.system.messageDispatcher.round();
    // The suspended account's credentials are refused at /v1: the message is read where it is kept.
    expect((await server.system.messaging.store.byId(uuid))?.state).toBe('scheduled');
    expect(await usageRecordsOf([uuid])).toEqual([]);

    await server.system.suspensions.reinstate(
      { ...actor, staffId: randomUUID() },
      account.accountId,
      'Documents arrived.',
    );
    await server.system.messageDispatcher.round();
    expect((await message(account, uuid)).message_state).toBe('sent');
  });
});
