import { createHash, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCredit, apiAccount, v1 } from '../support/api-account.js';
import { loadTestPrices, testEngine } from '../support/engine-usage.js';
import { rentNumber, stockNumber } from '../support/messaging.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * The engine door a SIP server (Kamailio) uses: endpoints' digests (never a password),
 * registrations, and calls decided (who pays, where to, how long), answered and ended, charged
 * through a credit session. Kamailio itself drives these in test/voice (when it is installed).
 */
let server: TestServer;
let engine: { engineId: string; key: string };
const PASSWORD = 'Correct-Horse-Battery-9';
/** Calls to SIP endpoints: 0.06 a minute, by the second. */
const SIP_RATE_MICROS = 60_000n;

async function engineCall(path: string, body: unknown, key = engine.key) {
  const response = await fetch(`${server.url}/api/engine${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

async function endpointOf(account: Awaited<ReturnType<typeof apiAccount>>, name: string) {
  const created = await server.system.endpoints.create(
    { ip: 'test', userAgent: null },
    { mainAccountId: account.accountId, mainAuthId: account.authId, subaccount: null },
    { username: name, password: PASSWORD, alias: name, applicationId: null },
  );
  return created.username;
}

const md5 = (text: string) => createHash('md5').update(text).digest('hex');
const realm = () => server.system.config.sipDomain;
const callRow = (callUuid: string) =>
  server.system.database.db
    .selectFrom('calls')
    .selectAll()
    .where('id', '=', callUuid)
    .executeTakeFirstOrThrow();
const balanceOf = async (accountId: string) =>
  BigInt(
    (
      await server.system.database.db
        .selectFrom('accounts')
        .select('balance_micros')
        .where('id', '=', accountId)
        .executeTakeFirstOrThrow()
    ).balance_micros,
  );

beforeAll(async () => {
  // A carrier for numbers not rented here: a rented number must never go to it.
  server = await startTestServer({ SIP_CARRIER_URI: 'sip:127.0.0.1:5099' });
  await server.system.jobs.stop();
  engine = await testEngine(server);
  await loadTestPrices(server, [
    {
      country_iso: 'ZZ',
      product: 'voice',
      direction: 'outbound',
      number_type: 'ip',
      rate_micros: SIP_RATE_MICROS,
      initial_increment: 1,
      subsequent_increment: 1,
    },
  ]);
});
afterAll(() => server.stop());

describe('the digest of an endpoint', () => {
  it('answers HA1 = MD5(username:realm:password) for the SIP domain, and nothing for another realm or an unknown name', async () => {
    const account = await apiAccount(server);
    const username = await endpointOf(account, 'alice');
    const answer = await engineCall('/sip/digest', { username, realm: realm() });
    expect(answer).toEqual({ status: 200, body: { ha1: md5(`${username}:${realm()}:${PASSWORD}`) } });
    expect(JSON.stringify(answer.body)).not.toContain(PASSWORD);
    expect((await engineCall('/sip/digest', { username, realm: 'evil.example.com' })).body.error).toBe(
      'unknown_endpoint',
    );
    expect((await engineCall('/sip/digest', { username: 'nobody-here', realm: realm() })).status).toBe(404);
  });

  it('is refused (403) while the account is suspended, and to a request without an engine key', async () => {
    const account = await apiAccount(server);
    const username = await endpointOf(account, 'bob');
    await server.system.suspensions.suspend({ ip: 'test', userAgent: null }, account.accountId, {
      reason: 'compliance_issue',
      details: 'Test suspension',
    });
    const answer = await engineCall('/sip/digest', { username, realm: realm() });
    expect(answer.status).toBe(403);
    expect(answer.body.error).toBe('account_inactive');
    expect((await engineCall('/sip/digest', { username, realm: realm() }, 'sb_eng_nope')).status).toBe(401);
  });
});

describe('registrations', () => {
  it('keeps where an endpoint registered until it expires or unregisters', async () => {
    const account = await apiAccount(server);
    const username = await endpointOf(account, 'carol');
    const contact = `<sip:${username}@127.0.0.1:5071>`;
    const saved = await engineCall('/sip/registrations', {
      username,
      contact,
      user_agent: 'softphone/1.0',
      expires: 600,
      received: '127.0.0.1:5071',
    });
    expect(saved.status).toBe(204);
    const endpoint = await server.system.voice.store.endpoint(username);
    const now = server.clock.now();
    expect(await server.system.voice.store.registrations([endpoint?.id as string], now)).toMatchObject([
      { contact, user_agent: 'softphone/1.0', received: '127.0.0.1:5071' },
    ]);
    const plivoEndpoint = async () =>
      (await v1(server, account, 'GET', `/Account/${account.authId}/Endpoint/`)).body.objects.find(
        (e: { username: string }) => e.username === username,
      );
    expect(await plivoEndpoint()).toMatchObject({
      sip_registered: 'true',
      sip_contact: contact,
      sip_user_agent: 'softphone/1.0',
      sip_expires: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+00:00$/),
    });
    await engineCall('/sip/registrations', { username, contact, expires: 0 });
    expect(await server.system.voice.store.registrations([endpoint?.id as string], now)).toEqual([]);
    expect(await plivoEndpoint()).toMatchObject({ sip_registered: 'false', sip_contact: null });
  });
});

describe('a call between two endpoints', () => {
  it('is routed to the callee, bounded by the credit, and charged for its seconds from answer to end', async () => {
    const account = await apiAccount(server);
    await addCredit(server, account.accountId, '1');
    const alice = await endpointOf(account, 'alice');
    const other = await apiAccount(server);
    const bob = await endpointOf(other, 'bob');
    const sipCallId = `${randomUUID()}@127.0.0.1`;
    const asked = { sip_call_id: sipCallId, from_user: alice, from: alice, to: bob, source_ip: '127.0.0.1' };

    const routed = await engineCall('/calls', asked);
    expect(routed.status).toBe(201);
    expect(routed.body).toMatchObject({ route: 'endpoint', target: `sip:${bob}@${realm()}` });
    // 1.00 at 0.06 a minute buys 1,000 seconds.
    expect(routed.body.max_seconds).toBe(1000);
    expect(await engineCall('/calls', asked)).toMatchObject({
      status: 201,
      body: { call_uuid: routed.body.call_uuid },
    });

    server.clock.freeze();
    expect(
      (await engineCall(`/calls/${routed.body.call_uuid}/answer`, { h_entry: 7, h_id: 42 })).status,
    ).toBe(200);
    server.clock.advanceMilliseconds(30_500);
    const ended = await engineCall(`/calls/${routed.body.call_uuid}/end`, {
      hangup_cause: 'NORMAL_CLEARING',
      hangup_source: 'caller',
      sip_code: 200,
    });
    expect(ended.status).toBe(200);
    const call = await callRow(routed.body.call_uuid);
    expect(call).toMatchObject({
      state: 'completed',
      direction: 'outbound',
      route: 'endpoint',
      duration_seconds: 31,
      billed_duration_seconds: 31,
      hangup_cause: 'NORMAL_CLEARING',
      hangup_source: 'caller',
      dialog_entry: 7,
    });
    expect(BigInt(call.amount_micros)).toBe(31_000n);
    expect(await balanceOf(account.accountId)).toBe(1_000_000n - 31_000n);
  });

  it('is refused with 402 when the account has no credit, and never recorded', async () => {
    const account = await apiAccount(server);
    const alice = await endpointOf(account, 'alice');
    const other = await apiAccount(server);
    const bob = await endpointOf(other, 'bob');
    const sipCallId = `${randomUUID()}@127.0.0.1`;
    const refused = await engineCall('/calls', {
      sip_call_id: sipCallId,
      from_user: alice,
      from: alice,
      to: bob,
      source_ip: '127.0.0.1',
    });
    expect(refused.status).toBe(402);
    expect(refused.body.error).toBe('out_of_credit');
    expect(await server.system.voice.store.callBySipId(engine.engineId, sipCallId)).toBeUndefined();
  });

  it('is refused when unauthenticated and not from a carrier address, or to no one', async () => {
    const account = await apiAccount(server);
    await addCredit(server, account.accountId, '1');
    const alice = await endpointOf(account, 'alice');
    const fromStranger = await engineCall('/calls', {
      sip_call_id: randomUUID(),
      from_user: null,
      from: '14155550100',
      to: '14155550199',
      source_ip: '203.0.113.9',
    });
    expect(fromStranger).toMatchObject({ status: 403, body: { error: 'forbidden_source' } });
    const toNoOne = await engineCall('/calls', {
      sip_call_id: randomUUID(),
      from_user: alice,
      from: alice,
      to: 'nobody-at-all',
      source_ip: '127.0.0.1',
    });
    expect(toNoOne).toMatchObject({ status: 404, body: { error: 'unknown_destination' } });
    // A number rented here whose application has no endpoint rings no one (it never goes to the carrier).
    const owner = await apiAccount(server);
    await addCredit(server, owner.accountId, '5');
    const number = await stockNumber(server);
    await rentNumber(server, owner, number);
    const toUnanswered = await engineCall('/calls', {
      sip_call_id: randomUUID(),
      from_user: alice,
      from: alice,
      to: number,
      source_ip: '127.0.0.1',
    });
    expect(toUnanswered).toMatchObject({ status: 404, body: { error: 'unknown_destination' } });
  });
});

describe('hanging up through Kamailio', () => {
  it("ends an answered call's dialog with dlg.end_dlg on the engine's JSON-RPC endpoint when the account is suspended", async () => {
    const rpc: unknown[] = [];
    const receiver = http.createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        rpc.push({ path: request.url, body: JSON.parse(body) });
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end('{"jsonrpc":"2.0","result":null,"id":1}');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const kamailio = await testEngine(server);
      await server.system.engines.setDisconnectUrl(
        { ip: 'test', userAgent: null },
        kamailio.engineId,
        `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/RPC`,
        'kamailio-jsonrpc',
      );
      const account = await apiAccount(server);
      await addCredit(server, account.accountId, '1');
      const alice = await endpointOf(account, 'alice');
      const bob = await endpointOf(await apiAccount(server), 'bob');
      const routed = await engineCall(
        '/calls',
        { sip_call_id: randomUUID(), from_user: alice, from: alice, to: bob, source_ip: '127.0.0.1' },
        kamailio.key,
      );
      await engineCall(`/calls/${routed.body.call_uuid}/answer`, { h_entry: 3, h_id: 9001 }, kamailio.key);

      await server.system.suspensions.suspend({ ip: 'test', userAgent: null }, account.accountId, {
        reason: 'payment_failure',
        details: 'Test suspension mid-call',
      });
      await server.system.jobs.drain();
      expect(rpc).toEqual([
        {
          path: '/RPC',
          body: { jsonrpc: '2.0', method: 'dlg.end_dlg', params: [3, 9001], id: expect.any(String) },
        },
      ]);
    } finally {
      await new Promise((resolve) => receiver.close(resolve));
    }
  });
});

describe('the Call API (/v1/Account/{auth_id}/Call/)', () => {
  it("lists and gets calls in Plivo's shape, shows the live ones, and hangs one up through the SIP server", async () => {
    const account = await apiAccount(server);
    await addCredit(server, account.accountId, '1');
    const alice = await endpointOf(account, 'alice');
    const bob = await endpointOf(await apiAccount(server), 'bob');
    const call = async () => {
      const routed = await engineCall('/calls', {
        sip_call_id: randomUUID(),
        from_user: alice,
        from: alice,
        to: bob,
        source_ip: '127.0.0.1',
      });
      await engineCall(`/calls/${routed.body.call_uuid}/answer`, { h_entry: 1, h_id: 2 });
      return routed.body.call_uuid as string;
    };
    server.clock.freeze();
    const done = await call();
    server.clock.advanceMilliseconds(12_000);
    await engineCall(`/calls/${done}/end`, { hangup_cause: 'NORMAL_CLEARING', hangup_source: 'callee' });
    const live = await call();

    const listed = await v1(server, account, 'GET', `/Account/${account.authId}/Call/?limit=5`);
    expect(listed.status).toBe(200);
    expect(listed.body.meta).toMatchObject({ limit: 5, offset: 0, total_count: 2 });
    expect(listed.body.objects.map((c: { call_uuid: string }) => c.call_uuid).sort()).toEqual(
      [done, live].sort(),
    );

    const got = await v1(server, account, 'GET', `/Account/${account.authId}/Call/${done}/`);
    expect(got.body).toMatchObject({
      call_uuid: done,
      call_direction: 'outbound',
      from_number: alice,
      to_number: bob,
      bill_duration: 12,
      billed_duration: 12,
      total_rate: '0.06000',
      total_amount: '0.01200',
      hangup_cause_name: 'NORMAL_CLEARING',
      hangup_source: 'callee',
      resource_uri: `/v1/Account/${account.authId}/Call/${done}/`,
    });
    expect(got.body.end_time).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+00:00$/);

    const filtered = await v1(
      server,
      account,
      'GET',
      `/Account/${account.authId}/Call/?bill_duration__gte=10`,
    );
    expect(filtered.body.objects.map((c: { call_uuid: string }) => c.call_uuid)).toEqual([done]);
    expect(
      (await v1(server, account, 'GET', `/Account/${account.authId}/Call/?call_direction=up`)).status,
    ).toBe(400);

    const liveList = await v1(server, account, 'GET', `/Account/${account.authId}/Call/?status=live`);
    expect(liveList.body.calls).toEqual([live]);
    const liveOne = await v1(server, account, 'GET', `/Account/${account.authId}/Call/${live}/?status=live`);
    expect(liveOne.body).toMatchObject({ call_uuid: live, call_status: 'in-progress', from: alice, to: bob });
    expect(
      (await v1(server, account, 'GET', `/Account/${account.authId}/Call/${done}/?status=live`)).status,
    ).toBe(404);

    const stranger = await apiAccount(server);
    expect((await v1(server, stranger, 'GET', `/Account/${stranger.authId}/Call/${done}/`)).status).toBe(404);
    expect((await v1(server, stranger, 'DELETE', `/Account/${stranger.authId}/Call/${live}/`)).status).toBe(
      404,
    );
    expect((await v1(server, account, 'DELETE', `/Account/${account.authId}/Call/${done}/`)).status).toBe(
      404,
    );
    const hungUp = await v1(server, account, 'DELETE', `/Account/${account.authId}/Call/${live}/`);
    expect(hungUp.status).toBe(204);
    const queued = await server.system.database.db
      .selectFrom('jobs')
      .select(['payload'])
      .where('name', '=', 'credit.disconnect')
      .execute();
    expect(queued.map((job) => job.payload)).toContainEqual(
      expect.objectContaining({ sessions: [live], reason: 'hangup_requested' }),
    );
  });
});
