import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { AxiosAdapter, AxiosStatic, InternalAxiosRequestConfig } from 'axios';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCredit, apiAccount, v1 } from '../support/api-account.js';
import { loadTestPrices, testEngine } from '../support/engine-usage.js';
import { stockNumber } from '../support/messaging.js';
import { failure, sdk } from '../support/plivo-sdk.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { engineCall, sipPrices } from '../support/voice.js';

/**
 * The Call API driven by the official node SDK (`calls.get`, `calls.list`, `calls.hangup`), as a
 * customer's code would, with main and subaccount credentials. The SDK sends every call request
 * to Plivo's fixed host whatever its `url` says (plivo-api notes, 1.1), so this test code points
 * axios' default adapter (the instance the SDK requires) at the test server for that host only;
 * the SDK itself is unchanged. Calls are made through the engine door, as Kamailio makes them.
 */
const PLIVO_HOST = 'https://api.plivo.com/';
const PASSWORD = 'Correct-Horse-Battery-9';
const CARRIER_ADDRESS = '127.0.0.2';
/** Calls from the carrier to a US number: 0.03 a minute, by the second. */
const US_INBOUND_RATE_MICROS = 30_000n;

const axios = createRequire(createRequire(import.meta.url).resolve('plivo'))('axios') as AxiosStatic;
const defaultAdapter = axios.defaults.adapter;

let server: TestServer;
let engine: { engineId: string; key: string };
/** What Kamailio's JSON-RPC would have been asked (dlg.end_dlg). */
const rpc: { method: string; params: unknown[] }[] = [];
let rpcReceiver: http.Server;

type Account = { authId: string; authToken: string };

/** An endpoint made through the Endpoint API with these credentials (optionally answering a number's application). */
async function endpointOf(account: Account, name: string, appId?: string): Promise<string> {
  const created = await v1(server, account, 'POST', `/Account/${account.authId}/Endpoint/`, {
    body: { username: name, password: PASSWORD, alias: name, ...(appId ? { app_id: appId } : {}) },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(200);
  return created.body.username as string;
}

/** A call as Kamailio asks for it, answered with this dialog id (h_entry 5): its uuid. */
async function answeredCall(
  asked: { from_user: string | null; from: string; to: string; source_ip?: string },
  dialogId = 1,
) {
  const routed = await engineCall(server, engine.key, '/calls', {
    sip_call_id: `${randomUUID()}@127.0.0.1`,
    source_ip: '127.0.0.1',
    ...asked,
  });
  expect(routed.status, JSON.stringify(routed.body)).toBe(201);
  const callUuid = routed.body.call_uuid as string;
  const answered = await engineCall(server, engine.key, `/calls/${callUuid}/answer`, {
    h_entry: 5,
    h_id: dialogId,
  });
  expect(answered.status).toBe(200);
  return callUuid;
}

/**
 * calls.list as the SDK answers at run time: an array of calls with the list's `meta` (its types
 * declare a single ListAllCallsResponse).
 */
type CallList = ({ callUuid: string } & Record<string, unknown>)[] & { meta: { totalCount: number } };
const listCalls = async (client: ReturnType<typeof sdk>, filters: Record<string, unknown> = {}) =>
  (await client.calls.list(filters)) as unknown as CallList;

/** The call ends after these seconds (by the fake clock), hung up by the callee. */
async function endAfter(callUuid: string, seconds: number) {
  server.clock.advanceMilliseconds(seconds * 1000);
  const ended = await engineCall(server, engine.key, `/calls/${callUuid}/end`, {
    hangup_cause: 'NORMAL_CLEARING',
    hangup_source: 'callee',
    sip_code: 200,
  });
  expect(ended.status).toBe(200);
}

beforeAll(async () => {
  server = await startTestServer({ SIP_CARRIER_ADDRESSES: CARRIER_ADDRESS });
  await server.system.jobs.stop();
  server.clock.freeze();
  engine = await testEngine(server);
  rpcReceiver = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      rpc.push(JSON.parse(body));
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"jsonrpc":"2.0","result":null,"id":1}');
    });
  });
  await new Promise<void>((resolve) => rpcReceiver.listen(0, '127.0.0.1', resolve));
  await server.system.engines.setDisconnectUrl(
    { ip: 'test', userAgent: null },
    engine.engineId,
    `http://127.0.0.1:${(rpcReceiver.address() as AddressInfo).port}/RPC`,
    'kamailio-jsonrpc',
  );
  await loadTestPrices(server, [
    ...sipPrices,
    {
      country_iso: 'US',
      product: 'voice',
      direction: 'inbound',
      rate_micros: US_INBOUND_RATE_MICROS,
      initial_increment: 1,
      subsequent_increment: 1,
    },
  ]);
  // Test code only: what the SDK sends to Plivo's host goes to this server instead.
  const httpAdapter = axios.getAdapter('http');
  axios.defaults.adapter = ((config: InternalAxiosRequestConfig) => {
    if (config.url?.startsWith(PLIVO_HOST))
      config.url = `${server.url}/${config.url.slice(PLIVO_HOST.length)}`;
    return httpAdapter(config);
  }) as AxiosAdapter;
});

afterAll(async () => {
  axios.defaults.adapter = defaultAdapter;
  if (rpcReceiver) await new Promise((resolve) => rpcReceiver.close(resolve));
  await server?.stop();
});

/**
 * A main account with a subaccount, each with an endpoint, calling another account's endpoint; and
 * a number the main account rents whose application answers on the main account's endpoint.
 */
async function callingAccounts() {
  const main = await apiAccount(server);
  await addCredit(server, main.accountId, '10');
  const created = await v1(server, main, 'POST', `/Account/${main.authId}/Subaccount/`, {
    body: { name: 'Support desk', enabled: true },
  });
  const sub: Account = { authId: created.body.auth_id, authToken: created.body.auth_token };
  const app = await v1(server, main, 'POST', `/Account/${main.authId}/Application/`, {
    body: { app_name: 'Front desk' },
  });
  const alice = await endpointOf(main, 'alice', app.body.app_id);
  const sam = await endpointOf(sub, 'sam');
  const bob = await endpointOf(await apiAccount(server), 'bob');
  const number = await stockNumber(server);
  const rented = await v1(server, main, 'POST', `/Account/${main.authId}/PhoneNumber/${number}/`, {
    body: { app_id: app.body.app_id },
  });
  expect(rented.status, JSON.stringify(rented.body)).toBe(200);
  return { main, sub, alice, sam, bob, number };
}

describe('calls.get and calls.list through the SDK', () => {
  it("answer the account's calls in the SDK's camelCased shapes, filtered by direction, bill duration and subaccount", async () => {
    const { main, sub, alice, sam, bob, number } = await callingAccounts();
    const outbound = await answeredCall({ from_user: alice, from: alice, to: bob });
    await endAfter(outbound, 12);
    const fromSub = await answeredCall({ from_user: sam, from: sam, to: bob });
    await endAfter(fromSub, 40);
    const inbound = await answeredCall({
      from_user: null,
      from: '14155550123',
      to: number,
      source_ip: CARRIER_ADDRESS,
    });
    await endAfter(inbound, 20);
    const mainClient = sdk(server, main.authId, main.authToken);
    const subClient = sdk(server, sub.authId, sub.authToken);

    const got = await mainClient.calls.get(outbound);
    expect(got).toMatchObject({
      callUuid: outbound,
      callDirection: 'outbound',
      callState: 'completed',
      fromNumber: alice,
      toNumber: bob,
      billDuration: 12,
      billedDuration: 12,
      totalRate: '0.06000',
      totalAmount: '0.01200',
      hangupCauseName: 'NORMAL_CLEARING',
      hangupSource: 'callee',
      resourceUri: `/v1/Account/${main.authId}/Call/${outbound}/`,
    });
    expect(got.apiId).toEqual(expect.any(String));
    expect(got.endTime).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+00:00$/);

    const incoming = await listCalls(mainClient, { call_direction: 'inbound' });
    expect(incoming.map((call) => call.callUuid)).toEqual([inbound]);
    expect(incoming[0]).toMatchObject({
      callDirection: 'inbound',
      fromNumber: '14155550123',
      toNumber: number,
      billDuration: 20,
      totalRate: '0.03000',
      totalAmount: '0.01000',
    });
    // The main account sees its subaccount's calls: the one over 30 s is the subaccount's.
    const long = await listCalls(mainClient, { billDurationGreaterThan: 30 });
    expect(long.map((call) => call.callUuid)).toEqual([fromSub]);
    expect(long.meta.totalCount).toBe(1);
    const all = await listCalls(mainClient, { limit: 10 });
    expect(all.map((call) => call.callUuid).sort()).toEqual([outbound, fromSub, inbound].sort());
    const bySub = await listCalls(mainClient, { subaccount: sub.authId });
    expect(bySub.map((call) => call.callUuid)).toEqual([fromSub]);

    // A subaccount sees its own calls only; another account sees none of them.
    expect((await listCalls(subClient)).map((call) => call.callUuid)).toEqual([fromSub]);
    expect(await subClient.calls.get(fromSub)).toMatchObject({ callUuid: fromSub, billDuration: 40 });
    expect((await failure(subClient.calls.get(outbound))).status).toBe(404);
    const stranger = await apiAccount(server);
    expect((await failure(sdk(server, stranger.authId, stranger.authToken).calls.get(outbound))).status).toBe(
      404,
    );
    const refused = await failure(listCalls(mainClient, { call_direction: 'sideways' }));
    expect(refused.status).toBe(400);
    expect(refused.message).toMatch(/call_direction/);
  });
});

describe('calls.hangup through the SDK', () => {
  it("hangs up an answered call: Kamailio's JSON-RPC is asked to end the call's dialog (dlg.end_dlg)", async () => {
    const { main, sub, sam, bob } = await callingAccounts();
    const live = await answeredCall({ from_user: sam, from: sam, to: bob }, 4242);
    const subClient = sdk(server, sub.authId, sub.authToken);
    const mainClient = sdk(server, main.authId, main.authToken);
    expect((await mainClient.calls.get(live)).callState).toBe('in-progress');

    const stranger = await apiAccount(server);
    expect((await failure(sdk(server, stranger.authId, stranger.authToken).calls.hangup(live))).status).toBe(
      404,
    );
    // The main account may hang up its subaccount's call.
    await mainClient.calls.hangup(live);
    const before = rpc.length;
    await server.system.jobs.drain();
    expect(rpc.slice(before)).toEqual([
      { jsonrpc: '2.0', method: 'dlg.end_dlg', params: [5, 4242], id: expect.any(String) },
    ]);
    const queued = await server.system.database.db
      .selectFrom('jobs')
      .select(['payload'])
      .where('name', '=', 'credit.disconnect')
      .execute();
    expect(queued.map((job) => job.payload)).toContainEqual(
      expect.objectContaining({ sessions: [live], reason: 'hangup_requested' }),
    );

    // Kamailio then reports the end; a call that ended is not found to hang up.
    const ended = await engineCall(server, engine.key, `/calls/${live}/end`, {
      hangup_cause: 'NORMAL_CLEARING',
      hangup_source: 'switchboard',
      sip_code: 200,
    });
    expect(ended.status).toBe(200);
    expect(await subClient.calls.get(live)).toMatchObject({
      callState: 'completed',
      hangupSource: 'switchboard',
    });
    expect((await failure(subClient.calls.hangup(live))).status).toBe(404);
  });

  it('refuses (409) to hang up a call that still rings', async () => {
    const { sub, sam, bob } = await callingAccounts();
    const routed = await engineCall(server, engine.key, '/calls', {
      sip_call_id: `${randomUUID()}@127.0.0.1`,
      from_user: sam,
      from: sam,
      to: bob,
      source_ip: '127.0.0.1',
    });
    expect(routed.status).toBe(201);
    const refused = await failure(sdk(server, sub.authId, sub.authToken).calls.hangup(routed.body.call_uuid));
    expect(refused.status).toBe(409);
    expect(refused.message).toMatch(/ring/i);
  });
});
