import { randomUUID } from 'node:crypto';
import type plivo from 'plivo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCredit, fundedAccount, v1 } from '../support/api-account.js';
import { loadSmsPrices, rentNumber, stockNumber, usDestination } from '../support/messaging.js';
import { failure, sdk as sdkFor } from '../support/plivo-sdk.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  await loadSmsPrices(server);
  // The tests run dispatch rounds themselves: a round of the dispatcher's own loop could take a
  // message and still be handing it to the carrier when the test reads it.
  await server.system.messageDispatcher.stop();
});
afterAll(() => server.stop());

/** A funded account (10.00) renting a US number with SMS, what it sends from. */
async function messagingAccount() {
  const account = await fundedAccount(server);
  const number = await stockNumber(server);
  await rentNumber(server, account, number);
  return { ...account, number };
}

type Credentials = { authId: string; authToken: string };
/** A message as the SDK answers Get Message and each object of List Messages (keys camelCased). */
type SdkMessage = Record<string, string | number | boolean | null>;
type SdkMessageList = SdkMessage[] & { meta: { limit: number; offset: number; totalCount: number } };
/** The SDK's messages.* calls as they behave at run time (its declarations type list as one object). */
interface SdkMessages {
  create: plivo.Client['messages']['create'];
  get(uuid: string): Promise<SdkMessage>;
  list(filters?: Record<string, unknown>): Promise<SdkMessageList>;
}
const sdk = (credentials: Credentials) => {
  const client = sdkFor(server, credentials.authId, credentials.authToken);
  return { messages: client.messages as unknown as SdkMessages, subaccounts: client.subaccounts };
};

const actor = { ip: 'test', userAgent: null };

/** A subaccount of `main` made through the SDK, with its credentials and its account id. */
async function subaccountOf(main: Credentials, name: string) {
  const created = await sdk(main).subaccounts.create(name, true);
  const row = await server.system.database.db
    .selectFrom('accounts')
    .select('id')
    .where('auth_id', '=', created.authId)
    .executeTakeFirstOrThrow();
  return { authId: created.authId as string, authToken: created.authToken as string, id: row.id };
}

/** Sends one message through the SDK, lets the dispatcher take it, and answers it as Get Message shows it. */
async function sentMessage(account: Credentials & { number: string }, text: string) {
  const created = await sdk(account).messages.create(account.number, usDestination(), text);
  const [uuid] = created.messageUuid;
  await server.system.messageDispatcher.round();
  return sdk(account).messages.get(uuid as string);
}

describe('sending messages through the official plivo SDK', () => {
  it('queues one message, reads it back with get, and lists it', async () => {
    const account = await messagingAccount();
    const to = usDestination();
    const created = await sdk(account).messages.create(account.number, to, 'Hello from the SDK');
    expect(created.message).toBe('message(s) queued');
    expect(created.messageUuid).toHaveLength(1);
    expect(created.apiId).toMatch(/^[0-9a-f-]{36}$/);
    const [uuid] = created.messageUuid as [string];
    await server.system.messageDispatcher.round();
    const got = await sdk(account).messages.get(uuid);
    expect(got).toMatchObject({
      messageUuid: uuid,
      fromNumber: account.number,
      toNumber: to,
      messageDirection: 'outbound',
      messageState: 'sent',
      messageType: 'sms',
      units: 1,
      totalRate: '0.00650',
      totalAmount: '0.00650',
      resourceUri: `/v1/Account/${account.authId}/Message/${uuid}/`,
    });
    expect(got.messageTime).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+00:00$/);
    const listed = await sdk(account).messages.list();
    expect(listed.map((m) => m.messageUuid)).toEqual([uuid]);
    expect(listed.meta.totalCount).toBe(1);
  });

  it('queues one message per destination, given as an array or joined with <, with status callback url and method', async () => {
    const account = await messagingAccount();
    const [a, b, c, d] = [usDestination(), usDestination(), usDestination(), usDestination()];
    const asArray = await sdk(account).messages.create(account.number, [a, b], 'Hi all', {
      url: 'http://127.0.0.1:9/status',
      method: 'GET',
    });
    expect(asArray.messageUuid).toHaveLength(2);
    const joined = await sdk(account).messages.create(account.number, `${c}<${d}`, 'Hi again', {
      url: 'http://127.0.0.1:9/status',
      method: 'POST',
    });
    expect(joined.messageUuid).toHaveLength(2);
    const destinations = await Promise.all(
      [...asArray.messageUuid, ...joined.messageUuid].map(
        async (uuid) => (await sdk(account).messages.get(uuid)).toNumber,
      ),
    );
    expect(destinations).toEqual([a, b, c, d]);
    const stored = await server.system.database.db
      .selectFrom('messages')
      .select(['to_number', 'callback_url', 'callback_method'])
      .where('id', 'in', [...asArray.messageUuid, ...joined.messageUuid])
      .orderBy('to_number')
      .execute();
    expect(stored).toEqual(
      [
        { to_number: a, callback_method: 'GET' },
        { to_number: b, callback_method: 'GET' },
        { to_number: c, callback_method: 'POST' },
        { to_number: d, callback_method: 'POST' },
      ]
        .map((row) => ({ ...row, callback_url: 'http://127.0.0.1:9/status' }))
        .sort((x, y) => x.to_number.localeCompare(y.to_number)),
    );
  });

  it('lists with Plivo’s filters: direction, state, to and from numbers, message time, limit and offset', async () => {
    const account = await messagingAccount();
    const [first, second, third] = [usDestination(), usDestination(), usDestination()];
    // Time stands still but where the test moves it: the early message is delivered (its simulated
    // receipt is due two minutes on), the late ones cannot be yet.
    server.clock.freeze();
    try {
      const early = await sdk(account).messages.create(account.number, first, 'early');
      await server.system.messageDispatcher.round();
      server.clock.advanceMinutes(2);
      await server.system.jobs.drain();
      const late = await sdk(account).messages.create(account.number, [second, third], 'late');
      const lateTime = (await sdk(account).messages.get(late.messageUuid[0] as string)).messageTime as string;
      const lateSecond = lateTime.slice(0, 19);
      const list = (filters: Record<string, unknown>) => sdk(account).messages.list(filters);
      const uuids = (page: SdkMessageList) => page.map((m) => m.messageUuid).sort();

      expect(uuids(await list({ message_direction: 'outbound' }))).toEqual(
        [...early.messageUuid, ...late.messageUuid].sort(),
      );
      expect(await list({ message_direction: 'inbound' })).toHaveLength(0);
      expect(uuids(await list({ to_number: first }))).toEqual(early.messageUuid);
      expect(await list({ from_number: account.number })).toHaveLength(3);
      expect(await list({ from_number: usDestination() })).toHaveLength(0);
      expect(uuids(await list({ message_time__gte: lateSecond }))).toEqual([...late.messageUuid].sort());
      expect(uuids(await list({ message_time__lt: lateSecond }))).toEqual(early.messageUuid);
      expect(uuids(await list({ message_state: 'delivered' }))).toEqual(early.messageUuid);
      const leftOrLeaving = [
        ...(await list({ message_state: 'queued' })),
        ...(await list({ message_state: 'sent' })),
      ];
      expect(uuids(leftOrLeaving as SdkMessageList)).toEqual([...late.messageUuid].sort());

      const firstPage = await list({ limit: 2, offset: 0 });
      const secondPage = await list({ limit: 2, offset: 2 });
      expect(firstPage).toHaveLength(2);
      expect(secondPage).toHaveLength(1);
      expect(firstPage.meta).toMatchObject({ limit: 2, offset: 0, totalCount: 3 });
      expect(uuids(firstPage)).toEqual([...late.messageUuid].sort());
      expect(uuids(secondPage)).toEqual(early.messageUuid);

      const bad = await failure(list({ message_direction: 'sideways' }));
      expect(bad.status).toBe(400);
      expect(bad.message).toMatch(/message_direction/);
    } finally {
      server.clock.unfreeze();
    }
  });

  it('sends with a subaccount’s credentials from its own number; the main account sees and filters its messages', async () => {
    const main = await messagingAccount();
    const sub = await subaccountOf(main, 'EU');
    const subNumber = await stockNumber(server);
    await rentNumber(server, sub, subNumber);
    const subSend = await sdk(sub).messages.create(subNumber, usDestination(), 'from the subaccount');
    const mainSend = await sdk(main).messages.create(main.number, usDestination(), 'from the main account');
    const [subUuid] = subSend.messageUuid as [string];

    expect((await sdk(sub).messages.get(subUuid)).fromNumber).toBe(subNumber);
    expect((await sdk(main).messages.get(subUuid)).fromNumber).toBe(subNumber);
    const ofSub = await sdk(main).messages.list({ subaccount: sub.authId });
    expect(ofSub.map((m) => m.messageUuid)).toEqual([subUuid]);
    expect(await sdk(main).messages.list()).toHaveLength(2);
    const subsOwn = await sdk(sub).messages.list();
    expect(subsOwn.map((m) => m.messageUuid)).toEqual([subUuid]);
    const hidden = await failure(sdk(sub).messages.get(mainSend.messageUuid[0] as string));
    expect(hidden.status).toBe(404);
  });

  it('sends from a sender ID whitelisted for the subaccount, and refuses a sibling’s sender ID', async () => {
    const main = await messagingAccount();
    const eu = await subaccountOf(main, 'EU');
    const apac = await subaccountOf(main, 'APAC');
    const { senderId } = await server.system.senderIds.add(actor, main.accountId, eu.id, 'ACME');
    const own = await sdk(eu).messages.create(senderId, usDestination(), 'from ACME');
    expect((await sdk(eu).messages.get(own.messageUuid[0] as string)).fromNumber).toBe(senderId);
    const sibling = await failure(sdk(apac).messages.create(senderId, usDestination(), 'not mine'));
    expect(sibling.status).toBe(400);
    expect(sibling.message).toMatch(/^src: ACME is neither a number .* rents nor a sender ID/);
    expect(await sdk(apac).messages.list()).toHaveLength(0);
  });
});

describe('refusals of the Message API', () => {
  it('refuses a number another account rents, and a number nobody rents, naming src', async () => {
    const account = await messagingAccount();
    const other = await messagingAccount();
    const theirs = await failure(sdk(account).messages.create(other.number, usDestination(), 'spoof'));
    expect(theirs.status).toBe(400);
    expect(theirs.message).toContain(`src: ${other.number} is neither a number ${account.authId} rents`);
    const nobodys = await stockNumber(server);
    const free = await failure(sdk(account).messages.create(nobodys, usDestination(), 'spoof'));
    expect(free.status).toBe(400);
    expect(free.message).toContain(`src: ${nobodys}`);
    expect(await sdk(account).messages.list()).toHaveLength(0);
    expect(await sdk(other).messages.list()).toHaveLength(0);
  });

  it('refuses a subaccount the main account’s number and the main account a subaccount’s sender ID', async () => {
    const main = await messagingAccount();
    const sub = await subaccountOf(main, 'EU');
    await server.system.senderIds.add(actor, main.accountId, sub.id, 'SUBONLY');
    const fromMainsNumber = await failure(sdk(sub).messages.create(main.number, usDestination(), 'x'));
    expect(fromMainsNumber.status).toBe(400);
    expect(fromMainsNumber.message).toMatch(/^src: /);
    const fromSubsSenderId = await failure(sdk(main).messages.create('SUBONLY', usDestination(), 'x'));
    expect(fromSubsSenderId.status).toBe(400);
  });

  it('refuses a number without SMS, saying so', async () => {
    const account = await messagingAccount();
    const voiceOnly = await stockNumber(server, { sms: false });
    await rentNumber(server, account, voiceOnly);
    const error = await failure(sdk(account).messages.create(voiceOnly, usDestination(), 'x'));
    expect(error.status).toBe(400);
    expect(error.message).toBe(`src: ${voiceOnly} cannot send SMS: the number has no SMS capability`);
  });

  it('refuses mms as not supported, and queues nothing', async () => {
    const account = await messagingAccount();
    const error = await failure(
      sdk(account).messages.create(account.number, usDestination(), 'pic', {
        type: 'mms',
        media_urls: ['https://example.com/a.png'],
      }),
    );
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/^type: MMS is not supported/);
    expect(await sdk(account).messages.list()).toHaveLength(0);
  });

  it('queues the good destinations and lists the bad ones in invalid_number; all bad is a 400', async () => {
    const account = await messagingAccount();
    const good = [usDestination(), usDestination()];
    const created = await sdk(account).messages.create(
      account.number,
      [good[0], '123', good[1], 'not-a-number'],
      'some good',
    );
    expect(created.messageUuid).toHaveLength(2);
    // The SDK passes invalid_number through under its own (snake_case) key.
    expect((created as unknown as { invalid_number: string[] }).invalid_number).toEqual([
      '123',
      'not-a-number',
    ]);
    const listed = await sdk(account).messages.list();
    expect(listed.map((m) => m.toNumber).sort()).toEqual([...good].sort());

    const allBad = await failure(sdk(account).messages.create(account.number, '123<456', 'none good'));
    expect(allBad.status).toBe(400);
    expect(allBad.message).toMatch(/No message was queued: 123 is not a phone number/);
    expect(await sdk(account).messages.list()).toHaveLength(2);
  });

  it('answers 402 out of credit (over HTTP: the SDK hides the body) and queues nothing', async () => {
    const account = await messagingAccount();
    const before = await server.system.credit.state(account.accountId);
    await server.system.credits.adjust({ ...actor, cli: true }, account.accountId, {
      amount: `-${Number(before.freeMicros) / 1e6}`,
      reason: 'spend it all',
      idempotencyKey: randomUUID(),
    });
    const empty = await server.system.credit.state(account.accountId);
    expect(empty.freeMicros).toBe(0n);

    const path = `/Account/${account.authId}/Message/`;
    const broke = await v1(server, account, 'POST', path, {
      body: { src: account.number, dst: usDestination(), text: 'no credit' },
    });
    expect(broke.status).toBe(402);
    expect(broke.body.error).toMatch(/out of credit.*nothing was queued/);
    expect(broke.body.api_id).toMatch(/^[0-9a-f-]{36}$/);
    const sdkError = await failure(sdk(account).messages.create(account.number, usDestination(), 'x'));
    expect(sdkError.message).toMatch(/status code 402/);

    // 0.01 free: one message (0.0065) fits, two do not.
    await addCredit(server, account.accountId, '0.01');
    const short = await v1(server, account, 'POST', path, {
      body: { src: account.number, dst: `${usDestination()}<${usDestination()}`, text: 'two' },
    });
    expect(short.status).toBe(402);
    expect(short.body.error).toMatch(/cost \$0\.013 and \$0\.01 is free/);
    expect(await sdk(account).messages.list()).toHaveLength(0);
    const after = await server.system.credit.state(account.accountId);
    expect(after.balanceMicros).toBe(empty.balanceMicros + 10_000n);
    expect(after.heldMicros).toBe(0n);

    const one = await v1(server, account, 'POST', path, {
      body: { src: account.number, dst: usDestination(), text: 'one' },
    });
    expect(one.status).toBe(202);
  });

  it('lets only one of two sends racing for the same credit through', async () => {
    const account = await messagingAccount();
    const { freeMicros } = await server.system.credit.state(account.accountId);
    await server.system.credits.adjust({ ...actor, cli: true }, account.accountId, {
      amount: `-${Number(freeMicros - 10_000n) / 1e6}`,
      reason: 'leave 0.01',
      idempotencyKey: randomUUID(),
    });
    const path = `/Account/${account.authId}/Message/`;
    const statuses = await Promise.all(
      [1, 2].map(
        async () =>
          (
            await v1(server, account, 'POST', path, {
              body: { src: account.number, dst: usDestination(), text: 'race' },
            })
          ).status,
      ),
    );
    expect(statuses.sort()).toEqual([202, 402]);
    expect(await sdk(account).messages.list()).toHaveLength(1);
  });

  it('refuses a powerpack sender, an unknown log value and a message_expiry out of range; takes strings for booleans and numbers', async () => {
    const account = await messagingAccount();
    const client = sdk(account).messages;
    const powerpack = await failure(client.create(null, usDestination(), 'via pp', {}, 'pp-uuid-1234'));
    expect(powerpack.status).toBe(400);
    expect(powerpack.message).toMatch(/^powerpack_uuid: /);
    const badLog = await failure(client.create(account.number, usDestination(), 'x', { log: 'maybe' }));
    expect(badLog.status).toBe(400);
    expect(badLog.message).toMatch(/^log: /);
    const tooSoon = await failure(client.create(account.number, usDestination(), 'x', { messageExpiry: 3 }));
    expect(tooSoon.status).toBe(400);
    expect(tooSoon.message).toMatch(/^message_expiry: /);
    const asStrings = await v1(server, account, 'POST', `/Account/${account.authId}/Message/`, {
      body: {
        src: account.number,
        dst: usDestination(),
        text: 'secret',
        log: 'false',
        message_expiry: '600',
      },
    });
    expect(asStrings.status).toBe(202);
    const [uuid] = asStrings.body.message_uuid as [string];
    expect((await sdk(account).messages.get(uuid)).log).toBe(false);
    const stored = await server.system.messaging.store.byId(uuid);
    expect(stored).toMatchObject({ log: false, expiry_seconds: 600 });
  });
});

describe('units at the GSM-7 and UCS-2 edges, rated per segment', () => {
  it('counts 160 GSM-7 characters as one unit and 161 as two, charged once sent', async () => {
    const account = await messagingAccount();
    const one = await sentMessage(account, 'a'.repeat(160));
    expect(one).toMatchObject({ units: 1, totalRate: '0.00650', totalAmount: '0.00650' });
    const two = await sentMessage(account, 'a'.repeat(161));
    expect(two).toMatchObject({ units: 2, totalRate: '0.00650', totalAmount: '0.01300' });
  });

  it('counts 70 UCS-2 characters as one unit and 71 as two', async () => {
    const account = await messagingAccount();
    expect((await sentMessage(account, 'ж'.repeat(70))).units).toBe(1);
    const two = await sentMessage(account, 'ж'.repeat(71));
    expect(two).toMatchObject({ units: 2, totalAmount: '0.01300' });
  });

  it('counts € (GSM-7’s extension table) as two septets', async () => {
    const account = await messagingAccount();
    expect((await sentMessage(account, `${'a'.repeat(158)}€`)).units).toBe(1);
    expect((await sentMessage(account, `${'a'.repeat(159)}€`)).units).toBe(2);
  });

  it('shows total_amount 0.00000 until the message is sent', async () => {
    const account = await messagingAccount();
    await server.system.rateLimits.set(actor, account.accountId, { message: 1 });
    // One message a second leaves: time stands still, so the second one stays queued.
    server.clock.freeze();
    const states = await (async () => {
      try {
        const created = await sdk(account).messages.create(
          account.number,
          [usDestination(), usDestination()],
          'a'.repeat(161),
        );
        await server.system.messageDispatcher.round();
        return await Promise.all(created.messageUuid.map((uuid) => sdk(account).messages.get(uuid)));
      } finally {
        server.clock.unfreeze();
      }
    })();
    expect(states.map((m) => m.messageState).sort()).toEqual(['queued', 'sent']);
    const waiting = states.find((m) => m.messageState === 'queued');
    expect(waiting).toMatchObject({ units: 2, totalRate: '0.00650', totalAmount: '0.00000' });
  });
});

describe('the request limit on POST …/Message/ (RATE_LIMIT_MESSAGE_REQUESTS)', () => {
  let limited: TestServer;
  beforeAll(async () => {
    limited = await startTestServer({ RATE_LIMIT_MESSAGE_REQUESTS: '3' });
    await loadSmsPrices(limited);
    await limited.system.messageDispatcher.stop();
  });
  afterAll(() => limited.stop());

  it('queues requests over the Message rate, and answers 429 over the request limit (over HTTP: the SDK hides the body)', async () => {
    const account = await fundedAccount(limited);
    const number = await stockNumber(limited);
    await rentNumber(limited, account, number);
    await limited.system.rateLimits.set(actor, account.accountId, { message: 1 });
    const post = () =>
      v1(limited, account, 'POST', `/Account/${account.authId}/Message/`, {
        body: { src: number, dst: usDestination(), text: 'one of many' },
      });
    limited.clock.freeze();
    try {
      const answers = [];
      for (let i = 0; i < 4; i++) answers.push(await post());
      expect(answers.map((answer) => answer.status)).toEqual([202, 202, 202, 429]);
      expect(answers[3]?.body).toMatchObject({ error: expect.any(String), api_id: expect.any(String) });
      const client = sdkFor(limited, account.authId, account.authToken);
      const refused = await failure(client.messages.create(number, usDestination(), 'x'));
      expect(refused.message).toMatch(/status code 429/);
      const queued = await v1(limited, account, 'GET', `/Account/${account.authId}/Message/`);
      expect(queued.body.meta.total_count).toBe(3);
      limited.clock.advanceMilliseconds(1000);
      expect((await post()).status).toBe(202);
    } finally {
      limited.clock.unfreeze();
    }
  });
});
