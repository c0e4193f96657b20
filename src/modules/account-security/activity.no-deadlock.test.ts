import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testTarget } from '../../../test/support/database.js';
import { type DatabaseHandle, inTransaction } from '../../db/database.js';
import { newAuthId, newId } from '../../lib/ids.js';
import { CreditStore } from '../credit-control/store.js';
import { AccountSecurityStore } from './store.js';

/**
 * The request log's flush writes accounts' activity while the Message API's intake locks the same
 * accounts for a credit decision. Intake locks them in id order; an activity write that locked them
 * in the order it met them on disk deadlocked with it (under bench/messages, every second). Row
 * locks wait on PostgreSQL only: PGlite is one session, so nothing there ever waits on a row.
 */
if (testTarget !== 'postgres')
  console.warn('activity.no-deadlock: skipped; row locks that wait need PostgreSQL (TEST_DATABASE_URL).');

describe.runIf(testTarget === 'postgres')(
  'activity written while a credit decision locks the same accounts',
  () => {
    let handle: DatabaseHandle & { url?: string };
    beforeAll(async () => {
      handle = await createTestDatabase();
    });
    afterAll(() => handle?.close());

    /** Whether a statement containing `fragment` is waiting on a lock in this test's database. */
    const waitingOnLock = async (fragment: string) => {
      const { rows } = await sql<{ waiting: boolean }>`
        SELECT EXISTS (
          SELECT 1 FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE ${`%${fragment}%`}
        ) AS waiting`.execute(handle.db);
      return rows[0]?.waiting;
    };

    it('locks the accounts in id order, as credit decisions do, so neither waits on the other in a cycle', async () => {
      const { db } = handle;
      // Two main accounts, the higher id written first: on disk (the order a plain UPDATE meets rows
      // in) it comes before the lower one.
      const [low, high] = [newId(), newId()].sort() as [string, string];
      for (const id of [high, low])
        await db
          .insertInto('accounts')
          .values({
            id,
            auth_id: newAuthId('MA'),
            name: 'Acme',
            signup_ip: null,
            status: 'active',
            currency: 'USD',
          })
          .execute();
      const at = new Date('2026-12-07T10:00:00.000Z');

      // T0 holds the higher account, as a send holding its credit does, until it commits.
      const t0 = new pg.Client({ connectionString: handle.url });
      await t0.connect();
      try {
        await t0.query('BEGIN');
        await t0.query('SELECT id FROM accounts WHERE id = $1 FOR NO KEY UPDATE', [high]);
        // The activity write waits for the higher account; in id order it has taken the lower one
        // first, in disk order nothing yet.
        const touched = new AccountSecurityStore(db).touch([low, high], at);
        await expect.poll(() => waitingOnLock('last_active_at'), { timeout: 10_000 }).toBe(true);
        // A credit decision for both (intake's lockRooms) waits too: for the lower account if the
        // write holds it, else for the higher one, holding the lower.
        const locked = inTransaction(db, async () => {
          const facts = await new CreditStore(db).creditFacts([low, high], [], { lock: true, counts: false });
          return facts.accounts;
        });
        await expect
          .poll(() => waitingOnLock('ANY($1::uuid[]) ORDER BY id FOR NO KEY UPDATE'), { timeout: 10_000 })
          .toBe(true);

        await t0.query('COMMIT');
        // Once T0 commits, a write in disk order takes the higher account, then waits for the lower
        // one, which the credit decision holds while it waits for the higher: a cycle, and PostgreSQL
        // refuses one of them with 40P01 (deadlock detected). In id order both simply finish.
        await Promise.all([touched, locked]);
        expect((await locked).map((account) => account.id)).toEqual([low, high]);
      } finally {
        await t0.end();
      }
      const rows = await db
        .selectFrom('accounts')
        .select(['id', 'last_active_at'])
        .where('id', 'in', [low, high])
        .orderBy('id')
        .execute();
      expect(rows).toEqual([
        { id: low, last_active_at: at },
        { id: high, last_active_at: at },
      ]);
    });
  },
);
