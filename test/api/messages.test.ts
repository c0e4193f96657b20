import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MESSAGE_API_ENGINE_ID } from '../../src/modules/messaging/service.js';
import { v1 } from '../support/api-account.js';
import { messagingAccount, usDestination } from '../support/messaging.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  // The tests run the dispatcher's rounds themselves.
  await server.system.messageDispatcher.stop();
});
afterAll(() => server.stop());

describe('the Message API’s money', () => {
  it('holds a send’s cost at once, then charges it through the ledger when it leaves, once', async () => {
    const account = await messagingAccount(server);
    const before = await server.system.credit.state(account.accountId);
    // 200 GSM characters: two segments to each of two destinations.
    const text = 'x'.repeat(200);
    const answer = await v1(server, account, 'POST', `/Account/${account.authId}/Message/`, {
      body: { src: account.number, dst: `${usDestination()}<${usDestination()}`, text },
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(202);
    const uuids = answer.body.message_uuid as string[];
    expect(uuids).toHaveLength(2);
    const held = await server.system.credit.state(account.accountId);
    expect(held.heldMicros - before.heldMicros).toBe(4n * 6_500n);
    expect(held.balanceMicros).toBe(before.balanceMicros);

    await server.system.messageDispatcher.round();
    await server.system.messageDispatcher.round();
    const after = await server.system.credit.state(account.accountId);
    expect(after.heldMicros).toBe(before.heldMicros);
    expect(before.balanceMicros - after.balanceMicros).toBe(4n * 6_500n);
    const records = await server.system.database.db
      .selectFrom('usage_records')
      .select(['event_id', 'quantity', 'amount_micros'])
      .where('engine_id', '=', MESSAGE_API_ENGINE_ID)
      .where('event_id', 'in', uuids)
      .execute();
    expect(records.map((r) => [r.quantity, r.amount_micros])).toEqual([
      [2n, 13_000n],
      [2n, 13_000n],
    ]);
    for (const uuid of uuids) {
      const got = await v1(server, account, 'GET', `/Account/${account.authId}/Message/${uuid}/`);
      expect(got.body).toMatchObject({
        message_state: 'sent',
        units: 2,
        total_rate: '0.00650',
        total_amount: '0.01300',
      });
    }
    const usage = await v1(server, account, 'GET', `/Account/${account.authId}/Usage/?product=sms`);
    expect(usage.body.objects).toEqual([
      expect.objectContaining({ product: 'sms', events: 2, quantity: 4, amount: '0.02600' }),
    ]);
  });

  it('limits POST …/Message/ requests to RATE_LIMIT_MESSAGE_REQUESTS a second (429), apart from the Message rate', async () => {
    const account = await messagingAccount(server);
    server.clock.freeze();
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 101; i++)
        statuses.push(
          (await v1(server, account, 'POST', `/Account/${account.authId}/Message/`, { body: {} })).status,
        );
      // An empty body is refused (400) but counted; the 101st request in the second is over the limit.
      expect(statuses.slice(0, 100).every((status) => status === 400)).toBe(true);
      expect(statuses[100]).toBe(429);
      // Other routes count against the standard class, untouched.
      expect((await v1(server, account, 'GET', `/Account/${account.authId}/`)).status).toBe(200);
    } finally {
      server.clock.unfreeze();
    }
  });
});
