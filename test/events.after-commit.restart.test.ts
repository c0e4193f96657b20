import { describe, expect, it } from 'vitest';
import type { EventPayload } from '../src/events/catalog.js';
import { apiAccount } from './support/api-account.js';
import { testTarget } from './support/database.js';
import { startTestServer, type TestServer } from './support/server.js';

/**
 * An after-commit handler is a job enqueued in the publishing transaction: when the instance that
 * committed stops before handling it (a crash, a deploy), the next instance on the database runs it.
 */
describe(`after-commit event handlers across a restart, on ${testTarget}`, () => {
  it('runs a handler on a new instance when the publishing one stopped between commit and handling', async () => {
    const first = await startTestServer({}, { restartable: true });
    let firstRunning = true;
    let second: TestServer | undefined;
    try {
      const handledByFirst: EventPayload<'credential.revoked'>[] = [];
      first.system.events.afterCommit('credential.revoked', 'restart-probe', async (event) => {
        handledByFirst.push(event);
      });
      const account = await apiAccount(first);
      const [old] = await first.system.credentials.store.liveTokens(account.accountId);
      // The runner stops first, so the instance commits the revocation and never handles it.
      await first.system.jobs.stop();
      await first.system.credentials.generate({ ip: 'test', userAgent: null }, account.accountId, false);
      const queued = await first.system.database.db
        .selectFrom('jobs')
        .select(['state', 'payload'])
        .where('name', '=', 'event.credential.revoked.restart-probe')
        .execute();
      expect(queued).toEqual([
        { state: 'queued', payload: { accountId: account.accountId, tokenIds: [old?.id] } },
      ]);
      await first.stop();
      firstRunning = false;
      expect(handledByFirst).toEqual([]);

      second = await startTestServer({}, { restartOf: first });
      const handled = new Promise<EventPayload<'credential.revoked'>>((resolve) => {
        second?.system.events.afterCommit('credential.revoked', 'restart-probe', async (event) => {
          resolve(event);
        });
      });
      second.system.jobs.nudge();
      expect(await handled).toEqual({ accountId: account.accountId, tokenIds: [old?.id] });
    } finally {
      if (firstRunning) await first.stop();
      await second?.stop();
    }
  });
});
