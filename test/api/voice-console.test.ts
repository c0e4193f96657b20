import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCredit, apiAccount } from '../support/api-account.js';
import type { ConsoleClient } from '../support/browser-client.js';
import { loadTestPrices, testEngine } from '../support/engine-usage.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { invitedMember } from '../support/team.js';
import { answerCall, endCall, engineCall as engineCallAs, ringingCall, sipPrices } from '../support/voice.js';

/**
 * Voice > Calls (/api/voice/calls) and the Endpoints page's registrations: calls are made as a SIP
 * server makes them, through the engine door, and read, filtered and hung up from the console.
 */
let server: TestServer;
let engine: { engineId: string; key: string };
const PASSWORD = 'Correct-Horse-Battery-9';

const engineCall = (path: string, body: unknown) => engineCallAs(server, engine.key, path, body);
const ring = (from: string, to: string) => ringingCall(server, engine.key, from, to);
const answer = (callUuid: string) => answerCall(server, engine.key, callUuid);
const end = (callUuid: string) => endCall(server, engine.key, callUuid);

/** An endpoint made on the Endpoints page (of a subaccount when named); answers its SIP username. */
async function endpointOf(client: ConsoleClient, name: string, subaccount?: string) {
  const created = await client.post('/api/endpoints', {
    username: name,
    password: PASSWORD,
    alias: name,
    ...(subaccount ? { subaccount } : {}),
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.username as string;
}

/** An account with credit, an endpoint that calls, and an endpoint of another account it calls. */
async function callingAccount() {
  const account = await apiAccount(server);
  await addCredit(server, account.accountId, '1');
  const caller = await endpointOf(account.client, 'alice');
  const callee = await endpointOf((await apiAccount(server)).client, 'bob');
  return { ...account, caller, callee };
}

const uuidsOf = (page: { calls: { uuid: string }[] }) => page.calls.map((call) => call.uuid);

beforeAll(async () => {
  server = await startTestServer();
  // The hang-up job is asserted as queued, not run (the engine has no disconnect target).
  await server.system.jobs.stop();
  engine = await testEngine(server);
  await loadTestPrices(server, sipPrices);
  server.clock.freeze();
});
afterAll(() => server.stop());

describe('Voice > Calls', () => {
  it('lists the calls newest first with their state, duration, amount and hangup cause, and shows one', async () => {
    const owner = await callingAccount();
    const done = await ring(owner.caller, owner.callee);
    await answer(done);
    server.clock.advanceMilliseconds(12_000);
    await end(done);
    server.clock.advanceMilliseconds(1_000);
    const ringing = await ring(owner.caller, owner.callee);

    const listed = await owner.client.get('/api/voice/calls');
    expect(listed.status, JSON.stringify(listed.body)).toBe(200);
    expect(listed.body.total).toBe(2);
    expect(uuidsOf(listed.body)).toEqual([ringing, done]);
    expect(listed.body.calls[1]).toEqual({
      uuid: done,
      direction: 'outbound',
      state: 'completed',
      from: owner.caller,
      to: owner.callee,
      subaccount: null,
      initiatedAt: expect.any(String),
      answeredAt: expect.any(String),
      endedAt: expect.any(String),
      durationSeconds: 12,
      billedSeconds: 12,
      rate: '0.06000',
      amount: '0.01200',
      hangupCause: 'NORMAL_CLEARING',
    });
    expect(listed.body.calls[0]).toMatchObject({
      uuid: ringing,
      state: 'ringing',
      answeredAt: null,
      endedAt: null,
      durationSeconds: null,
      amount: '0.00000',
      hangupCause: null,
    });

    const detail = await owner.client.get(`/api/voice/calls/${done}`);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({
      uuid: done,
      hangupSource: 'callee',
      sipCode: null,
      route: 'endpoint',
      currency: 'USD',
      amount: '0.01200',
    });
    expect(Date.parse(detail.body.endedAt) - Date.parse(detail.body.answeredAt)).toBe(12_000);
  });

  it('filters by direction, caller, callee, subaccount and live calls, a page at a time', async () => {
    const owner = await callingAccount();
    const branch = (await owner.client.post('/api/subaccounts', { name: 'Branch' })).body.authId as string;
    const branchPhone = await endpointOf(owner.client, 'branch', branch);
    const done = await ring(owner.caller, owner.callee);
    await answer(done);
    server.clock.advanceMilliseconds(5_000);
    await end(done);
    server.clock.advanceMilliseconds(1_000);
    const live = await ring(owner.caller, branchPhone);
    await answer(live);
    server.clock.advanceMilliseconds(1_000);
    const fromBranch = await ring(branchPhone, owner.callee);

    const get = async (query: string) => {
      const answered = await owner.client.get(`/api/voice/calls?${query}`);
      expect(answered.status, JSON.stringify(answered.body)).toBe(200);
      return answered.body;
    };
    expect(uuidsOf(await get('live=true'))).toEqual([fromBranch, live]);
    expect(uuidsOf(await get(`toNumber=${branchPhone}`))).toEqual([live]);
    expect(uuidsOf(await get(`fromNumber=${branchPhone}`))).toEqual([fromBranch]);
    expect(uuidsOf(await get(`subaccount=${branch}`))).toEqual([fromBranch]);
    expect((await get(`subaccount=${branch}`)).calls[0].subaccount).toBe(branch);
    expect((await get('direction=inbound')).total).toBe(0);
    expect((await get('direction=outbound')).total).toBe(3);
    const second = await get('limit=1&offset=1');
    expect([second.total, uuidsOf(second)]).toEqual([3, [live]]);
    expect((await owner.client.get('/api/voice/calls?direction=sideways')).status).toBe(400);
    expect((await owner.client.get('/api/voice/calls?live=maybe')).status).toBe(400);
  });

  it('hangs up an answered call through its SIP server; refuses one still ringing (409) or ended (404)', async () => {
    const owner = await callingAccount();
    const call = await ring(owner.caller, owner.callee);

    const whileRinging = await owner.client.post(`/api/voice/calls/${call}/hangup`);
    expect([whileRinging.status, whileRinging.body.code]).toEqual([409, 'call_ringing']);
    expect(whileRinging.body.detail).toContain('still ringing');

    await answer(call);
    const hungUp = await owner.client.post(`/api/voice/calls/${call}/hangup`);
    expect([hungUp.status, hungUp.body]).toEqual([202, { callUuid: call }]);
    const queued = await server.system.database.db
      .selectFrom('jobs')
      .select(['payload'])
      .where('name', '=', 'credit.disconnect')
      .execute();
    expect(queued.map((job) => job.payload)).toContainEqual({
      engineId: engine.engineId,
      account: owner.authId,
      reason: 'hangup_requested',
      sessions: [call],
    });

    await end(call);
    const afterEnd = await owner.client.post(`/api/voice/calls/${call}/hangup`);
    expect([afterEnd.status, afterEnd.body.code]).toEqual([404, 'unknown_call']);
    expect(afterEnd.body.detail).toContain('has ended');
    expect((await owner.client.post(`/api/voice/calls/${randomUUID()}/hangup`)).status).toBe(404);
  });

  it("answers 404 for another account's call, to read or to hang up, and never lists it", async () => {
    const owner = await callingAccount();
    const call = await ring(owner.caller, owner.callee);
    await answer(call);
    const stranger = await apiAccount(server);

    const read = await stranger.client.get(`/api/voice/calls/${call}`);
    expect([read.status, read.body.code]).toEqual([404, 'unknown_call']);
    const hangUp = await stranger.client.post(`/api/voice/calls/${call}/hangup`);
    expect([hangUp.status, hangUp.body.code]).toEqual([404, 'unknown_call']);
    expect((await stranger.client.get('/api/voice/calls')).body).toEqual({ calls: [], total: 0 });
    expect((await owner.client.get(`/api/voice/calls/${call}`)).body.state).toBe('in-progress');
  });

  it('lets the roles that read logs read calls, and only those with API access hang up', async () => {
    const owner = await callingAccount();
    const call = await ring(owner.caller, owner.callee);
    await answer(call);
    const support = await invitedMember(server, owner.client, 'support');
    const developer = await invitedMember(server, owner.client, 'developer');
    const analyst = await invitedMember(server, owner.client, 'financial_analyst');

    expect(uuidsOf((await support.client.get('/api/voice/calls')).body)).toEqual([call]);
    expect((await support.client.get(`/api/voice/calls/${call}`)).status).toBe(200);
    const supportHangUp = await support.client.post(`/api/voice/calls/${call}/hangup`);
    expect([supportHangUp.status, supportHangUp.body.code]).toEqual([403, 'role_not_permitted']);
    for (const path of ['/api/voice/calls', `/api/voice/calls/${call}`]) {
      const refused = await analyst.client.get(path);
      expect([refused.status, refused.body.code]).toEqual([403, 'role_not_permitted']);
    }
    const analystHangUp = await analyst.client.post(`/api/voice/calls/${call}/hangup`);
    expect(analystHangUp.status).toBe(403);

    expect((await developer.client.get(`/api/voice/calls/${call}`)).status).toBe(200);
    expect((await developer.client.post(`/api/voice/calls/${call}/hangup`)).status).toBe(202);
  });
});

describe('the Endpoints page', () => {
  it('shows where each endpoint is registered now (contact, user agent, expiry) until it expires', async () => {
    const owner = await apiAccount(server);
    const desk = await endpointOf(owner.client, 'desk');
    const spare = await endpointOf(owner.client, 'spare');
    const contact = `<sip:${desk}@192.0.2.7:5071>`;
    const saved = await engineCall('/sip/registrations', {
      username: desk,
      contact,
      user_agent: 'softphone/1.0',
      expires: 600,
      received: '192.0.2.7:5071',
    });
    expect(saved.status).toBe(204);

    const rowOf = async (username: string) => {
      const listed = await owner.client.get('/api/endpoints');
      expect(listed.status, JSON.stringify(listed.body)).toBe(200);
      return listed.body.endpoints.find((row: { username: string }) => row.username === username);
    };
    const registered = await rowOf(desk);
    expect(registered.registrations).toEqual([
      {
        contact,
        userAgent: 'softphone/1.0',
        received: '192.0.2.7:5071',
        registeredAt: server.clock.now().toISOString(),
        expiresAt: new Date(server.clock.now().getTime() + 600_000).toISOString(),
      },
    ]);
    expect((await rowOf(spare)).registrations).toEqual([]);

    server.clock.advanceMilliseconds(601_000);
    expect((await rowOf(desk)).registrations).toEqual([]);
  });
});
