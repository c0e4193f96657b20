import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testTarget } from '../../test/support/database.js';
import { type DatabaseHandle, executor, inTransaction } from '../db/database.js';
import { transactionContext } from '../db/transaction-context.js';
import { Jobs } from '../jobs/runner.js';
import { systemClock } from '../lib/clock.js';
import { EventBus } from './bus.js';
import type { EventPayload } from './catalog.js';

let handle: DatabaseHandle;
let jobs: Jobs;
beforeAll(async () => {
  handle = await createTestDatabase();
  await sql`CREATE TABLE bus_probe (label text NOT NULL)`.execute(handle.db);
  jobs = new Jobs({ db: handle.db, clock: systemClock, log: pino({ level: 'silent' }) });
});
afterAll(() => handle.close());

const write = (label: string) =>
  sql`INSERT INTO bus_probe (label) VALUES (${label})`.execute(executor(handle.db));
const labels = async () =>
  (await sql<{ label: string }>`SELECT label FROM bus_probe ORDER BY label`.execute(handle.db)).rows.map(
    (row) => row.label,
  );
const deleting = (subaccountId: string): EventPayload<'subaccount.deleting'> => ({
  mainAccountId: 'main',
  subaccountId,
  subaccountName: 'Acme EU',
  policy: 'refuse',
  held: [],
});

describe(`events handled during the publishing transaction, on ${testTarget}`, () => {
  it('commits what a handler writes together with the publisher’s write', async () => {
    const bus = new EventBus(jobs);
    bus.duringTransaction('subaccount.deleting', async (event) => {
      await write(`handled ${event.subaccountId}`);
    });
    await inTransaction(handle.db, async () => {
      await write('published a');
      await bus.publish('subaccount.deleting', deleting('a'));
    });
    expect(await labels()).toEqual(expect.arrayContaining(['handled a', 'published a']));
  });

  it('rolls the publisher’s write back when a handler refuses, and runs no later handler', async () => {
    const bus = new EventBus(jobs);
    const later: string[] = [];
    bus.duringTransaction('subaccount.deleting', async (event) => {
      await write(`handled ${event.subaccountId}`);
      throw new Error('still holds number 14155550100');
    });
    bus.duringTransaction('subaccount.deleting', async (event) => {
      later.push(event.subaccountId);
    });
    const refused = inTransaction(handle.db, async () => {
      await write('published b');
      await bus.publish('subaccount.deleting', deleting('b'));
    });
    await expect(refused).rejects.toThrow('still holds number 14155550100');
    expect(later).toEqual([]);
    expect(await labels()).not.toContain('published b');
    expect(await labels()).not.toContain('handled b');
  });

  it('refuses an event published outside a transaction', async () => {
    const bus = new EventBus(jobs);
    await expect(bus.publish('subaccount.deleting', deleting('c'))).rejects.toThrow(/outside a transaction/);
  });
});

describe(`events handled after commit, on ${testTarget}`, () => {
  it('runs the handler in a job once the publisher’s write is committed, outside its transaction', async () => {
    const bus = new EventBus(jobs);
    const handled: { accountId: string; committed: boolean; inTransaction: boolean }[] = [];
    bus.afterCommit('credential.revoked', 'probe-committed', async (event) => {
      handled.push({
        accountId: event.accountId,
        committed: (await labels()).includes(`revoked ${event.accountId}`),
        inTransaction: transactionContext.current()?.open !== undefined,
      });
    });
    await inTransaction(handle.db, async () => {
      await write('revoked acct-1');
      await bus.publish('credential.revoked', { accountId: 'acct-1', tokenIds: ['t1'] });
    });
    await jobs.drain();
    expect(handled).toEqual([{ accountId: 'acct-1', committed: true, inTransaction: false }]);
    await jobs.drain();
    expect(handled).toHaveLength(1);
  });

  it('enqueues nothing when the publishing transaction rolls back', async () => {
    const bus = new EventBus(jobs);
    const handled: string[] = [];
    bus.afterCommit('credential.revoked', 'probe-rolled-back', async (event) => {
      handled.push(event.accountId);
    });
    const failed = inTransaction(handle.db, async () => {
      await bus.publish('credential.revoked', { accountId: 'acct-2', tokenIds: ['t2'] });
      throw new Error('the revocation failed');
    });
    await expect(failed).rejects.toThrow('the revocation failed');
    await jobs.drain();
    expect(handled).toEqual([]);
  });
});
