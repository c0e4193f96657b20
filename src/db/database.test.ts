import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testTarget } from '../../test/support/database.js';
import { type DatabaseHandle, inTransaction } from './database.js';
import { SelfDeadlockError } from './pglite-driver.js';

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createTestDatabase();
  await sql`CREATE TABLE probe (id serial PRIMARY KEY, label text NOT NULL, big bigint, day date, at timestamptz)`.execute(
    handle.db,
  );
});
afterAll(() => handle.close());

describe(`the database layer on ${testTarget}`, () => {
  it('keeps the writes of concurrent transactions that commit and drops those of one that rolls back', async () => {
    const work = Array.from({ length: 20 }, (_, i) =>
      inTransaction(handle.db, async (trx) => {
        await trx
          .insertInto('probe' as never)
          .values({ label: `t${i}` } as never)
          .execute();
        await new Promise((resolve) => setTimeout(resolve, 1));
        await trx
          .insertInto('probe' as never)
          .values({ label: `t${i}` } as never)
          .execute();
        if (i % 2 === 1) throw new Error(`transaction ${i} fails`);
      }),
    );
    const outcomes = await Promise.allSettled(work);
    expect(outcomes.filter((o) => o.status === 'rejected')).toHaveLength(10);
    const { rows } = await sql<{ label: string }>`SELECT label FROM probe`.execute(handle.db);
    expect(rows).toHaveLength(20);
    expect(new Set(rows.map((r) => Number(r.label.slice(1)) % 2))).toEqual(new Set([0]));
  });

  it('joins an open transaction instead of opening a second one', async () => {
    await expect(
      inTransaction(handle.db, async () => {
        await inTransaction(handle.db, (trx) =>
          trx
            .insertInto('probe' as never)
            .values({ label: 'nested' } as never)
            .execute(),
        );
        throw new Error('outer fails');
      }),
    ).rejects.toThrow('outer fails');
    const { rows } = await sql`SELECT 1 FROM probe WHERE label = 'nested'`.execute(handle.db);
    expect(rows).toHaveLength(0);
  });

  it('still finds a transaction after another one closed around it', async () => {
    const first = inTransaction(handle.db, (trx) =>
      trx
        .insertInto('probe' as never)
        .values({ label: 'first' } as never)
        .execute(),
    );
    const second = inTransaction(handle.db, async () => {
      await first;
      await inTransaction(handle.db, (trx) =>
        trx
          .insertInto('probe' as never)
          .values({ label: 'second' } as never)
          .execute(),
      );
      throw new Error('second fails');
    });
    await expect(second).rejects.toThrow('second fails');
    const { rows } = await sql<{ label: string }>`
      SELECT label FROM probe WHERE label IN ('first', 'second')`.execute(handle.db);
    expect(rows.map((r) => r.label)).toEqual(['first']);
  });

  it.runIf(testTarget === 'pglite')(
    'fails at once when the root handle is used inside a transaction',
    async () => {
      await expect(
        inTransaction(handle.db, async () => {
          await sql`SELECT 1`.execute(handle.db);
        }),
      ).rejects.toBeInstanceOf(SelfDeadlockError);
    },
  );

  it('returns int8 as BigInt, DATE as its string and timestamptz as Date from either driver', async () => {
    await sql`INSERT INTO probe (label, big, day, at) VALUES ('types', 9007199254740993, '2026-03-01', '2026-03-01T10:00:00Z')`.execute(
      handle.db,
    );
    const { rows } = await sql<{
      big: bigint;
      day: string;
      at: Date;
    }>`SELECT big, day, at FROM probe WHERE label = 'types'`.execute(handle.db);
    expect(rows[0]).toEqual({
      big: 9007199254740993n,
      day: '2026-03-01',
      at: new Date('2026-03-01T10:00:00Z'),
    });
  });

  it('stores UTF-8 bytes given for a json value as that JSON text, and still serializes other values', async () => {
    await sql`CREATE TABLE json_probe (id serial PRIMARY KEY, doc json NOT NULL)`.execute(handle.db);
    await sql`INSERT INTO json_probe (doc) VALUES (${Buffer.from('[["é",1],["x",2]]')}), (${JSON.stringify({ n: 3 })})`.execute(
      handle.db,
    );
    const { rows } = await sql<{ first: string; doc: unknown }>`
      SELECT doc->0->>0 AS first, doc FROM json_probe ORDER BY id`.execute(handle.db);
    expect(rows).toEqual([
      {
        first: 'é',
        doc: [
          ['é', 1],
          ['x', 2],
        ],
      },
      { first: null, doc: { n: 3 } },
    ]);
    await expect(
      sql`INSERT INTO json_probe (doc) VALUES (${Buffer.from('[1,')})`.execute(handle.db),
    ).rejects.toThrow(/json/i);
  });
});

describe(`notifications on ${testTarget}`, () => {
  it('delivers a NOTIFY sent inside a transaction only after it commits, and not one rolled back', async () => {
    const received: string[] = [];
    const unlisten = await handle.listen('probe_channel', (payload) => received.push(payload));
    try {
      await expect(
        inTransaction(handle.db, async (trx) => {
          await sql`SELECT pg_notify('probe_channel', 'rolled-back')`.execute(trx);
          throw new Error('abort');
        }),
      ).rejects.toThrow('abort');
      await inTransaction(handle.db, async (trx) => {
        await sql`SELECT pg_notify('probe_channel', 'committed')`.execute(trx);
        expect(received).toEqual([]);
      });
      await expect.poll(() => received).toEqual(['committed']);
    } finally {
      await unlisten();
    }
  });
});
