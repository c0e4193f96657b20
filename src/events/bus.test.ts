import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testTarget } from '../../test/support/database.js';
import { type DatabaseHandle, executor, inTransaction } from '../db/database.js';
import { EventBus } from './bus.js';

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createTestDatabase();
  await sql`CREATE TABLE bus_probe (label text NOT NULL)`.execute(handle.db);
});
afterAll(() => handle.close());

const write = (label: string) =>
  sql`INSERT INTO bus_probe (label) VALUES (${label})`.execute(executor(handle.db));
const labels = async () =>
  (await sql<{ label: string }>`SELECT label FROM bus_probe ORDER BY label`.execute(handle.db)).rows.map(
    (row) => row.label,
  );
const deleting = (subaccountId: string) =>
  ({ mainAccountId: 'main', subaccountId, subaccountName: 'Acme EU', policy: 'refuse' }) as const;

describe(`events handled during the publishing transaction, on ${testTarget}`, () => {
  it('commits what a handler writes together with the publisher’s write', async () => {
    const bus = new EventBus();
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
    const bus = new EventBus();
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
    const bus = new EventBus();
    await expect(bus.publish('subaccount.deleting', deleting('c'))).rejects.toThrow(/outside a transaction/);
  });
});
