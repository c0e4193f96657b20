import { describe, expect, it } from 'vitest';
import { fundedAccount, v1 } from '../support/api-account.js';
import { loadSmsPrices, rentNumber, stockNumber, usDestination } from '../support/messaging.js';
import { twoInstances } from '../support/server.js';

// Two instances share a database only on PostgreSQL, and a message rate only through Redis.
const sharedRedis = process.env.TEST_TARGET === 'postgres' && Boolean(process.env.TEST_REDIS_URL);
if (!sharedRedis) {
  console.warn(
    'messages.queue.instances: skipped; draining one queue from two instances needs PostgreSQL (TEST_DATABASE_URL) and Redis (TEST_REDIS_URL).',
  );
}

describe.runIf(sharedRedis)('the message queue drained by two instances', () => {
  const instances = twoInstances();

  it('sends no more than the account’s Message rate in any second, whichever instance takes them', async () => {
    const { first, second } = instances;
    const servers = [first, second];
    await loadSmsPrices(first);
    const account = await fundedAccount(first);
    const number = await stockNumber(first);
    await rentNumber(first, account, number);
    await first.system.rateLimits.set({ ip: 'test', userAgent: null }, account.accountId, { message: 3 });
    // Each instance's dispatcher loop is stopped: the test runs the rounds of both at once, in
    // seconds it moves on both clocks together.
    for (const server of servers) await server.system.messageDispatcher.stop();
    const start = (Math.floor(Date.now() / 1000) + 1) * 1000;
    for (const server of servers) server.clock.freeze(start);
    try {
      const ids: string[] = [];
      for (const [i, server] of [first, second, first].entries()) {
        const dst = Array.from({ length: 4 }, usDestination).join('<');
        const answer = await v1(server, account, 'POST', `/Account/${account.authId}/Message/`, {
          body: { src: number, dst, text: `batch ${i}` },
        });
        expect(answer.status, JSON.stringify(answer.body)).toBe(202);
        ids.push(...(answer.body.message_uuid as string[]));
      }
      expect(ids).toHaveLength(12);

      const perSecond: number[] = [];
      let left = 0;
      for (let tick = 0; tick < 6; tick++) {
        await Promise.all(
          servers.flatMap((server) => [1, 2, 3].map(() => server.system.messageDispatcher.round())),
        );
        const rows = await first.system.database.db
          .selectFrom('messages')
          .select('state')
          .where('id', 'in', ids)
          .execute();
        const now = rows.filter((row) => row.state !== 'queued').length;
        perSecond.push(now - left);
        left = now;
        for (const server of servers) server.clock.advanceMilliseconds(1000);
      }
      expect(perSecond).toEqual([3, 3, 3, 3, 0, 0]);
      const usage = await first.system.database.db
        .selectFrom('usage_records')
        .select('event_id')
        .where('event_id', 'in', ids)
        .execute();
      expect(usage).toHaveLength(12);
    } finally {
      for (const server of servers) server.clock.unfreeze();
    }
  });
});
