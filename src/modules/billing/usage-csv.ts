import { csvLine } from '../../lib/csv.js';

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

/** The export's CSV text: the header, then the pages of lines (UsageSummaryStore.recordPage writes them). */
export async function* usageCsv(pages: AsyncIterable<string>): AsyncGenerator<string> {
  yield csvLine(USAGE_CSV_HEADER);
  yield* pages;
}
