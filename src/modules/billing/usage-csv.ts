import type { UsageExportLine } from './usage-summary.js';

/** The export's columns, in order: the header line. */
export const USAGE_CSV_HEADER = [
  'started_at',
  'day',
  'subaccount',
  'product',
  'direction',
  'from',
  'to',
  'country_iso',
  'number_type',
  'quantity',
  'billed_quantity',
  'rate',
  'amount',
  'event_id',
];

const NUMBER = /^[+-]?\d+(\.\d+)?$/;

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote or line break. A text an engine sent
 * that a spreadsheet would run as a formula (=, +, -, @ first, not a plain number) gets a leading '.
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) && !NUMBER.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvLine(fields: string[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

/**
 * The CSV text of pages of usage records, one chunk per page, the header first. Only the texts an
 * engine sent (numbers, number type, event id) can hold a comma, quote or formula; the other fields
 * are ours (times, days, Auth IDs, products, integers, amounts) and are written as they are.
 */
export async function* usageCsv(pages: AsyncIterable<UsageExportLine[]>): AsyncGenerator<string> {
  yield csvLine(USAGE_CSV_HEADER);
  for await (const page of pages) {
    let chunk = '';
    for (const line of page) {
      chunk += `${line.startedAt.toISOString()},${line.day},${line.subaccount},${line.product},${line.direction},${csvField(line.from)},${csvField(line.to)},${csvField(line.countryIso)},${csvField(line.numberType)},${line.quantity},${line.billedQuantity},${line.rate},${line.amount},${csvField(line.eventId)}\r\n`;
    }
    yield chunk;
  }
}
