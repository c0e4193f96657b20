import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCredit, apiAccount, v1 } from '../support/api-account.js';
import { loadTestPrices, testEngine } from '../support/engine-usage.js';
import { kamailioSkipped, type RunningKamailio, startKamailio } from '../support/kamailio.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { SipUa } from '../support/sip-ua.js';

/**
 * Voice through a real Kamailio with the config `switchboard kamailio config` prints: endpoints
 * register with their digest checked by Switchboard, calls between them are authorized, bounded by
 * the credit, hung up by Kamailio at that bound or when staff suspend the account (dlg.end_dlg over
 * its JSON-RPC), refused with 402 without credit, and end as charged call records.
 */
const skip = kamailioSkipped('Voice with Kamailio');
const PASSWORD = 'Correct-Horse-Battery-9';
/** Calls to endpoints: 1.20 a minute (0.02 a second), by the second: credit of 0.60 buys 30 s. */
const RATE_MICROS = 1_200_000n;

let server: TestServer;
let kamailio: RunningKamailio;
const phones: SipUa[] = [];
/** Call ends the relay answers 503 itself instead of passing them on (the next ones Kamailio sends). */
let endsToRefuse = 0;
const endsRefused: string[] = [];

/** Between Kamailio and Switchboard: passes every request on, but refuses `endsToRefuse` call ends. */
const relay = http.createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', async () => {
    if (request.method === 'POST' && request.url?.endsWith('/end') && endsToRefuse > 0) {
      endsToRefuse--;
      endsRefused.push(request.url);
      response.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"unavailable"}');
      return;
    }
    const answer = await fetch(`${server.url}${request.url}`, {
      method: request.method,
      headers: {
        'content-type': request.headers['content-type'] ?? 'application/json',
        authorization: request.headers.authorization ?? '',
      },
      ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
    });
    response
      .writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' })
      .end(Buffer.from(await answer.arrayBuffer()));
  });
});

async function endpoint(account: Awaited<ReturnType<typeof apiAccount>>, name: string) {
  const created = await server.system.endpoints.create(
    { ip: 'test', userAgent: null },
    { mainAccountId: account.accountId, mainAuthId: account.authId, subaccount: null },
    { username: name, password: PASSWORD, alias: name, applicationId: null },
  );
  return created.username;
}

/** A softphone for the endpoint, registered through Kamailio. */
async function phone(username: string, password = PASSWORD) {
  const ua = await SipUa.open({
    proxy: kamailio.sip,
    domain: server.system.config.sipDomain,
    username,
    password,
  });
  phones.push(ua);
  return ua;
}

/**
 * Alice (of an account with `credit`, none when null) and Bob (of another account), each with an
 * endpoint and a softphone registered through Kamailio.
 */
async function alicesAndBobsPhones(credit: string | null) {
  const account = await apiAccount(server);
  if (credit) await addCredit(server, account.accountId, credit);
  const alice = await endpoint(account, 'alice');
  const bob = await endpoint(await apiAccount(server), 'bob');
  const alicePhone = await phone(alice);
  const bobPhone = await phone(bob);
  expect(await alicePhone.register()).toBe(200);
  expect(await bobPhone.register()).toBe(200);
  return { account, alice, bob, alicePhone, bobPhone };
}

/** The call's record once Kamailio reported its end. */
async function completedCall(callerUsername: string) {
  let call: Awaited<ReturnType<typeof lastCall>>;
  await expect
    .poll(
      async () => {
        call = await lastCall(callerUsername);
        return call?.state;
      },
      { timeout: 15_000 },
    )
    .toBe('completed');
  return call;
}

const lastCall = (callerUsername: string) =>
  server.system.database.db
    .selectFrom('calls')
    .selectAll()
    .where('from_number', '=', callerUsername)
    .orderBy('initiated_at', 'desc')
    .executeTakeFirst();

describe.skipIf(skip)('voice through Kamailio', () => {
  beforeAll(async () => {
    server = await startTestServer();
    const engine = await testEngine(server, 'kamailio');
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    kamailio = await startKamailio({
      switchboardUrl: `http://127.0.0.1:${(relay.address() as AddressInfo).port}`,
      engineKey: engine.key,
      sipDomain: server.system.config.sipDomain,
    });
    await server.system.engines.setDisconnectUrl(
      { ip: 'test', userAgent: null },
      engine.engineId,
      `http://127.0.0.1:${kamailio.rpcPort}/RPC`,
      'kamailio-jsonrpc',
    );
    await loadTestPrices(server, [
      {
        country_iso: 'ZZ',
        product: 'voice',
        direction: 'outbound',
        number_type: 'ip',
        rate_micros: RATE_MICROS,
        initial_increment: 1,
        subsequent_increment: 1,
      },
    ]);
  }, 60_000);

  afterAll(async () => {
    for (const ua of phones) ua.close();
    await kamailio?.stop();
    relay.close();
    await server?.stop();
  });

  it('registers endpoints with their passwords, refuses a wrong one, and connects a call that is charged as it ran', async () => {
    const { account, alice, bob, alicePhone, bobPhone } = await alicesAndBobsPhones('10');
    const impostor = await phone(alice, 'Wrong-Password-123');
    expect(await impostor.register()).toBe(401);
    const aliceEndpoint = await server.system.voice.store.endpoint(alice);
    expect(
      await server.system.voice.store.registrations([aliceEndpoint?.id as string], new Date()),
    ).toMatchObject([{ contact: alicePhone.contact }]);

    const call = alicePhone.invite(bob);
    const incoming = await bobPhone.nextIncoming();
    expect(await call.status()).toBe(200);
    await incoming.acked.promise;
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await call.hangup()).toBe(200);
    await incoming.byeReceived;

    const record = await completedCall(alice);
    expect(record).toMatchObject({ route: 'endpoint', to_number: bob, hangup_source: 'caller' });
    expect(record?.duration_seconds).toBeGreaterThanOrEqual(2);
    // By the second at 0.02: the amount is the seconds billed at the rate.
    expect(BigInt(record?.amount_micros ?? 0)).toBe(BigInt(record?.billed_duration_seconds ?? 0) * 20_000n);
    const listed = await v1(server, account, 'GET', `/Account/${account.authId}/Call/${record?.id}/`);
    expect(listed.body).toMatchObject({
      call_uuid: record?.id,
      hangup_source: 'caller',
      call_direction: 'outbound',
    });
    expect(await server.system.ledger.verify()).toEqual([]);
  });

  it('sends a call’s end again when Switchboard answers 503, and the call ends once, charged', async () => {
    const { alice, bob, alicePhone, bobPhone } = await alicesAndBobsPhones('10');
    const call = alicePhone.invite(bob);
    const incoming = await bobPhone.nextIncoming();
    expect(await call.status()).toBe(200);
    await incoming.acked.promise;
    endsToRefuse = 1;
    expect(await call.hangup()).toBe(200);
    await incoming.byeReceived;

    const record = await completedCall(alice);
    expect(endsRefused).toEqual([`/api/engine/calls/${record?.id}/end`]);
    expect(record).toMatchObject({ hangup_source: 'caller' });
    expect(BigInt(record?.amount_micros ?? 0)).toBe(BigInt(record?.billed_duration_seconds ?? 0) * 20_000n);
    const session = await server.system.database.db
      .selectFrom('credit_sessions')
      .select(['status', 'flagged'])
      .where('session_id', '=', record?.id as string)
      .executeTakeFirstOrThrow();
    expect(session).toEqual({ status: 'ended', flagged: false });
    expect(await server.system.ledger.verify()).toEqual([]);
  });

  it('refuses a call with 402 when the account has no credit, and the callee never rings', async () => {
    const { alice, bob, alicePhone, bobPhone } = await alicesAndBobsPhones(null);
    const call = alicePhone.invite(bob);
    expect(await call.status()).toBe(402);
    expect(bobPhone.received.filter((message) => message.method === 'INVITE')).toEqual([]);
    expect(await lastCall(alice)).toBeUndefined();
  });

  it('is hung up by Kamailio when the credit runs out: credit for 30 s at the rate ends the call at 30 s, BYE to both', async () => {
    const { account, alice, bob, alicePhone, bobPhone } = await alicesAndBobsPhones('0.60');
    const call = alicePhone.invite(bob);
    const incoming = await bobPhone.nextIncoming();
    expect(await call.status()).toBe(200);
    await Promise.all([call.byeReceived, incoming.byeReceived]);
    const record = await completedCall(alice);
    expect(record?.billed_duration_seconds).toBe(30);
    expect(BigInt(record?.amount_micros ?? 0)).toBe(600_000n);
    const balance = await server.system.database.db
      .selectFrom('accounts')
      .select('balance_micros')
      .where('id', '=', account.accountId)
      .executeTakeFirstOrThrow();
    expect(BigInt(balance.balance_micros)).toBe(0n);
  }, 60_000);

  it('lets a call run past its first bound when the account is credited mid-call: Kamailio is told the new bound', async () => {
    const { account, alice, bob, alicePhone, bobPhone } = await alicesAndBobsPhones('0.20');
    const call = alicePhone.invite(bob);
    const incoming = await bobPhone.nextIncoming();
    expect(await call.status()).toBe(200);
    await incoming.acked.promise;
    await expect.poll(async () => (await lastCall(alice))?.state).toBe('in-progress');
    // 0.20 bought 10 s; 0.60 more makes 40 s in all.
    await addCredit(server, account.accountId, '0.60');
    let hungUp = false;
    void Promise.race([call.byeReceived, incoming.byeReceived]).then(() => {
      hungUp = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 14_000));
    expect(hungUp).toBe(false);
    expect(await call.hangup()).toBe(200);
    await incoming.byeReceived;

    const record = await completedCall(alice);
    expect(record?.hangup_source).toBe('caller');
    expect(record?.billed_duration_seconds).toBeGreaterThanOrEqual(14);
    expect(BigInt(record?.amount_micros ?? 0)).toBe(BigInt(record?.billed_duration_seconds ?? 0) * 20_000n);
    expect(await server.system.ledger.verify()).toEqual([]);
  }, 60_000);

  it('hangs up both sides when staff suspend the account mid-call', async () => {
    const { account, alice, bob, alicePhone, bobPhone } = await alicesAndBobsPhones('10');
    const call = alicePhone.invite(bob);
    const incoming = await bobPhone.nextIncoming();
    expect(await call.status()).toBe(200);
    await incoming.acked.promise;
    await expect.poll(async () => (await lastCall(alice))?.state).toBe('in-progress');

    await server.system.suspensions.suspend({ ip: 'test', userAgent: null }, account.accountId, {
      reason: 'compliance_issue',
      details: 'Suspended mid-call in a test',
    });
    await Promise.all([call.byeReceived, incoming.byeReceived]);
    const record = await completedCall(alice);
    expect(record?.hangup_source).toBe('switchboard');
  }, 60_000);
});
