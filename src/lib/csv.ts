import { type RawBuilder, sql } from 'kysely';

/**
 * CSV fields as Switchboard's exports write them (RFC 4180), in JavaScript and, for exports the
 * database formats itself, in SQL: the same rule twice, kept equal by csv.test.ts.
 *
 * A text that a spreadsheet would run as a formula (=, +, -, @, tab or carriage return first, and
 * not a plain number such as +14155550123 or -0.5) gets a leading ', then a field holding a comma,
 * quote or line break is quoted, its quotes doubled.
 */
const NUMBER = /^[+-]?\d+(\.\d+)?$/;

export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) && !NUMBER.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** A line of fields, each made a CSV field, ending in CRLF. */
export function csvLine(fields: string[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

/**
 * csvField in SQL, for a text column or expression. Whether to quote is read off the value itself
 * (a leading ' adds no comma, quote or line break), so the formula test runs once per value, and the
 * number pattern only for values that start like a formula.
 */
export function csvFieldSql(value: RawBuilder<unknown>): RawBuilder<string> {
  const safe = sql<string>`(CASE WHEN left(${value}, 1) IN ('=', '+', '-', '@', E'\\t', E'\\r')
      AND ${value} !~ '^[+-]?[0-9]+(\\.[0-9]+)?$' THEN '''' || ${value} ELSE ${value} END)`;
  return sql<string>`(CASE WHEN strpos(${value}, '"') > 0 OR strpos(${value}, ',') > 0
      OR strpos(${value}, E'\\r') > 0 OR strpos(${value}, E'\\n') > 0
    THEN '"' || replace(${safe}, '"', '""') || '"' ELSE ${safe} END)`;
}
