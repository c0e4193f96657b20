import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/support/database.js';
import type { DatabaseHandle } from '../db/database.js';
import { csvField, csvFieldSql } from './csv.js';

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(() => handle.close());

const cases: [string, string][] = [
  ['plain', 'plain'],
  ['', ''],
  ['+14155550123', '+14155550123'],
  ['-0.5', '-0.5'],
  ['12.50', '12.50'],
  ['=SUM(A1)', "'=SUM(A1)"],
  ['+1 415', "'+1 415"],
  ['-cmd', "'-cmd"],
  ['@import', "'@import"],
  ['\tx', "'\tx"],
  ['\rx', `"'\rx"`],
  ['=HYPERLINK("x")', `"'=HYPERLINK(""x"")"`],
  ['a,b', '"a,b"'],
  ['say "hi"', '"say ""hi"""'],
  ['two\nlines', '"two\nlines"'],
  ["O'Brien", "O'Brien"],
  ['1.', '1.'],
  ['+1.', "'+1."],
];

describe('a CSV field', () => {
  it('defuses formulas, keeps numbers, and quotes commas, quotes and line breaks', () => {
    for (const [value, field] of cases) expect(csvField(value), JSON.stringify(value)).toBe(field);
  });

  it('is written the same by the database (the exports it formats itself)', async () => {
    for (const [value, field] of cases) {
      const { rows } = await sql<{
        field: string;
      }>`SELECT ${csvFieldSql(sql`${value}::text`)} AS field`.execute(handle.db);
      expect(rows[0]?.field, JSON.stringify(value)).toBe(field);
    }
  });
});
