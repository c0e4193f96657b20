import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/support/database.js';
import { addUsageRecords, testEngine } from '../../../test/support/usage.js';
import type { DatabaseHandle } from '../../db/database.js';
import { systemClock } from '../../lib/clock.js';
import { newAuthId, newId } from '../../lib/ids.js';
import { AuditLog } from '../audit/audit.js';
import { usageCsv } from './usage-csv.js';
import { UsageSummaryService } from './usage-summary.js';

/**
 * The export streams: records are read a keyset page at a time, at most one page ahead of the page
 * being written, so an export of any size holds two pages; pages neither skip nor repeat records
 * that share a start time.
 */
let handle: DatabaseHandle;
let usage: UsageSummaryService;
let reads: { after: unknown; limit: number }[];
let accountId: string;

beforeAll(async () => {
  handle = await createTestDatabase();
  usage = new UsageSummaryService(
    handle.db,
    systemClock,
    { enqueue: async () => {} },
    new AuditLog(handle.db),
    3,
  );
  const recordPage = usage.store.recordPage.bind(usage.store);
  usage.store.recordPage = (selection, timezone, after, limit) => {
    reads.push({ after, limit });
    return recordPage(selection, timezone, after, limit);
  };
  accountId = newId();
  await handle.db
    .insertInto('accounts')
    .values({
      id: accountId,
      auth_id: newAuthId('MA'),
      name: 'Acme',
      signup_ip: null,
      status: 'active',
      currency: 'USD',
    })
    .execute();
  const engine = await testEngine(handle.db);
  const sameSecond = new Date('2026-11-02T10:00:00Z');
  await addUsageRecords(handle.db, engine, [
    ...Array.from({ length: 7 }, (_, i) => ({ accountId, startedAt: sameSecond, eventId: `e${i}` })),
    { accountId, startedAt: new Date('2026-11-01T09:00:00Z'), eventId: 'first' },
    { accountId, startedAt: new Date('2026-12-01T00:00:00Z'), eventId: 'after-the-range' },
  ]);
});
afterAll(() => handle.close());

/** The event ids of a page of CSV lines (the last field: these ids need no quotes). */
const eventIds = (csv: string) =>
  csv
    .split('\r\n')
    .filter(Boolean)
    .map((line) => line.slice(line.lastIndexOf(',') + 1));

describe('the usage export', () => {
  it('reads at most one page ahead of the page taken, and every record once', async () => {
    reads = [];
    const filter = await usage.resolve(
      { mainAccountId: accountId, mainAuthId: '', subaccount: null },
      { from: '2026-11-01', to: '2026-11-30' },
    );
    const pages = usage.records(filter);
    const first = await pages.next();
    expect(reads).toHaveLength(2); // the page taken, and the next one being read meanwhile
    expect(eventIds(first.value as string)).toEqual(['first', 'e0', 'e1']);
    const rest: string[] = [];
    let taken = 1;
    for await (const page of pages) {
      taken++;
      expect(reads.length).toBeLessThanOrEqual(taken + 1);
      expect(eventIds(page).length).toBeLessThanOrEqual(3);
      rest.push(...eventIds(page));
    }
    expect(rest).toEqual(['e2', 'e3', 'e4', 'e5', 'e6']);
    expect(reads.map((read) => read.limit)).toEqual([3, 3, 3]);
    expect(reads[0]?.after).toBeNull();
    expect(reads[1]?.after).toMatchObject({ eventId: 'e1' });
    expect(reads[2]?.after).toMatchObject({ eventId: 'e4' });
  });

  it('pages records apart by microseconds within one millisecond, none twice', async () => {
    const other = newId();
    await handle.db
      .insertInto('accounts')
      .values({
        id: other,
        auth_id: newAuthId('MA'),
        name: 'Fine',
        signup_ip: null,
        status: 'active',
        currency: 'USD',
      })
      .execute();
    const engine = await testEngine(handle.db);
    const at = new Date('2026-11-03T12:00:00.123Z');
    await addUsageRecords(
      handle.db,
      engine,
      [0, 1, 2, 3, 4].map((n) => ({ accountId: other, startedAt: at, eventId: `m${n}` })),
    );
    // m0 started 5 µs into the millisecond, m4 1 µs: in time order m4, m3, m2, m1, m0.
    await sql`UPDATE usage_records SET started_at = started_at + (6 - substr(event_id, 2)::int - 1) * interval '1 microsecond'
      WHERE account_id = ${other}`.execute(handle.db);
    const filter = await usage.resolve(
      { mainAccountId: other, mainAuthId: '', subaccount: null },
      { from: '2026-11-03', to: '2026-11-03' },
    );
    const seen: string[] = [];
    for await (const page of usage.records(filter)) seen.push(...eventIds(page));
    expect(seen).toEqual(['m4', 'm3', 'm2', 'm1', 'm0']);
  });

  it('writes the CSV as pages arrive: the header before any read, then one chunk per page', async () => {
    reads = [];
    const filter = await usage.resolve(
      { mainAccountId: accountId, mainAuthId: '', subaccount: null },
      { from: '2026-11-01', to: '2026-11-30' },
    );
    const chunks = usageCsv(usage.records(filter));
    expect((await chunks.next()).value).toMatch(/^started_at,day,subaccount,product/);
    expect(reads).toHaveLength(0);
    expect((await chunks.next()).value.trim().split('\r\n')).toHaveLength(3);
    expect(reads).toHaveLength(2);
    await chunks.return(undefined); // the reader went away: nothing more is read
  });
});
