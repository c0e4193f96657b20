import {
  type CountryCode,
  getCountries,
  getCountryCallingCode,
  isSupportedCountry,
  parsePhoneNumberFromString,
  validatePhoneNumberLength,
} from 'libphonenumber-js/max';
import type { PricedNumberType, UsageDirection, UsageProduct } from '../../db/schema.js';
import { parseMoney } from '../../lib/money.js';
import { csvRecords } from '../numbers/inventory-file.js';
import { SIP_COUNTRY } from './price-book.js';

/** One price row of a deck, checked: what staff load with `switchboard prices load` or the staff console. */
export interface DeckPrice {
  line: number;
  countryIso: string;
  product: UsageProduct;
  direction: UsageDirection;
  /** '' is any type. */
  numberType: PricedNumberType;
  /** Destination digits, country code first; '' is the country's default. */
  prefix: string;
  rateMicros: bigint;
  connectFeeMicros: bigint;
  initialIncrement: number;
  subsequentIncrement: number;
  effectiveFrom: Date;
}

const REQUIRED = ['country_iso', 'product', 'direction', 'rate'] as const;
const OPTIONAL = [
  'number_type',
  'prefix',
  'connect_fee',
  'initial_increment',
  'subsequent_increment',
  'effective_from',
] as const;
/** The deck's columns, in the order the example deck and README list them. */
export const DECK_COLUMNS: readonly string[] = [
  'country_iso',
  'product',
  'direction',
  'number_type',
  'prefix',
  'rate',
  'connect_fee',
  'initial_increment',
  'subsequent_increment',
  'effective_from',
];
const KNOWN: readonly string[] = [...REQUIRED, ...OPTIONAL];
const PRODUCTS: readonly string[] = ['voice', 'sms', 'mms'];
const DIRECTIONS: readonly string[] = ['outbound', 'inbound'];
const NUMBER_TYPES: readonly string[] = ['local', 'tollfree', 'mobile', 'ip'];
/** Voice is billed in increments of 1 second to 1 hour (the prices table's own bounds). */
const MAX_INCREMENT = 3600;
const DEFAULT_INCREMENT = 60;
/** 2027-01-01, 2027-01-01T00:00Z, 2027-01-01T09:30:00+01:00, with fractions of a second. */
const ISO_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** The countries of each calling code that more than one country shares (+1, +7, +44 …). */
const sharedCallingCodes = new Map<string, CountryCode[]>();
for (const country of getCountries()) {
  const code = getCountryCallingCode(country);
  sharedCallingCodes.set(code, [...(sharedCallingCodes.get(code) ?? []), country]);
}
for (const [code, countries] of sharedCallingCodes) if (countries.length < 2) sharedCallingCodes.delete(code);

/** Digits that complete a number after a prefix, so that libphonenumber can tell whose range it is. */
const FILLS = ['5550100123456', '2015550123456', '7700900123456', '3125550123456', '9000000000000'];
const prefixCountries = new Map<string, string[]>();
const numberLengths = new Map<string, number[]>();

/** The lengths (calling code included) a number of this calling code may have, as libphonenumber knows them. */
function lengthsOf(callingCode: string): number[] {
  let lengths = numberLengths.get(callingCode);
  if (!lengths) {
    lengths = [];
    for (let length = callingCode.length + 4; length <= 15; length++)
      if (FILLS.some((fill) => !validatePhoneNumberLength(`+${(callingCode + fill).slice(0, length)}`)))
        lengths.push(length);
    numberLengths.set(callingCode, lengths);
  }
  return lengths;
}

/**
 * The countries other than `country` whose valid numbers start with `prefix` (of a calling code
 * several countries share), as far as completing it three digits past the calling code and with a
 * few fills finds them; empty as soon as one of `country`'s own numbers starts with it, or when no
 * valid number is found at all.
 */
function otherCountriesOf(prefix: string, callingCode: string, country: string): string[] {
  const key = `${country}|${prefix}`;
  const cached = prefixCountries.get(key);
  if (cached) return cached;
  const others = new Set<string>();
  const widen = Math.max(0, callingCode.length + 3 - prefix.length);
  search: for (let next = 0; next < 10 ** widen; next++) {
    const start = widen === 0 ? prefix : prefix + String(next).padStart(widen, '0');
    for (const fill of FILLS) {
      for (const length of lengthsOf(callingCode)) {
        if (length < start.length) continue;
        const parsed = parsePhoneNumberFromString(`+${(start + fill).slice(0, length)}`);
        if (!parsed?.isValid() || !parsed.country) continue;
        if (parsed.country === country) {
          others.clear();
          break search;
        }
        others.add(parsed.country);
        break;
      }
    }
  }
  const found = [...others].sort();
  if (prefixCountries.size > 100_000) prefixCountries.clear();
  prefixCountries.set(key, found);
  return found;
}

/**
 * Whether a prefix can be the start of a number of the row's country. It must begin with the
 * country's calling code; where several countries share that code, a prefix that only another
 * country's numbers start with (1416 is Toronto, CA; 1340 the US Virgin Islands, VI) is refused, as
 * no destination of the row's country could ever match it. Answers the problem, or null.
 */
function prefixProblem(prefix: string, countryIso: CountryCode): string | null {
  const callingCode = getCountryCallingCode(countryIso);
  if (!prefix.startsWith(callingCode))
    return `prefix ${prefix} does not start with ${countryIso}'s country code ${callingCode}`;
  if (prefix === callingCode || !sharedCallingCodes.has(callingCode)) return null;
  const others = otherCountriesOf(prefix, callingCode, countryIso);
  if (others.length === 0) return null;
  return `prefix ${prefix} is a ${others.join(' or ')} range, not ${countryIso}: price it in a ${others[0]} row`;
}

/** An ISO 8601 time that exists (a date alone is midnight UTC; a time needs its zone), or null. */
export function parseIsoTime(text: string): Date | null {
  const match = ISO_TIME.exec(text);
  if (!match) return null;
  const [, year, month, day, hour, minute, second] = match;
  if (match[4] !== undefined && match[7] === undefined) return null;
  const date = new Date(match[4] === undefined ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(date.getTime())) return null;
  // Date rolls 2027-02-30 over to March: the calendar fields must survive the round trip (in UTC
  // for a date alone; the zone's offset does not change the day of month when the time is valid).
  const probe = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (probe.getUTCDate() !== Number(day) || probe.getUTCMonth() !== Number(month) - 1) return null;
  if (Number(hour ?? 0) > 23 || Number(minute ?? 0) > 59 || Number(second ?? 0) > 59) return null;
  return date;
}

function increment(text: string, column: string, problems: string[]): number {
  if (!text) return DEFAULT_INCREMENT;
  if (!/^\d{1,4}$/.test(text) || Number(text) < 1 || Number(text) > MAX_INCREMENT) {
    problems.push(`${column} must be whole seconds from 1 to ${MAX_INCREMENT}, not "${text}"`);
    return DEFAULT_INCREMENT;
  }
  return Number(text);
}

/**
 * Checks one deck row as staff wrote it (column name → text), at `now` (the load time: an empty
 * effective_from means it). Answers the price, or the problems found, each in words that say what to fix.
 */
export function checkDeckRow(values: Record<string, string>, now: Date): Omit<DeckPrice, 'line'> | string[] {
  const problems: string[] = [];
  const text = (column: string) => (values[column] ?? '').trim();
  for (const column of REQUIRED) if (!text(column)) problems.push(`${column} is required`);
  const countryIso = text('country_iso').toUpperCase();
  // ZZ prices calls to SIP addresses (endpoints): voice, number type ip, no prefix.
  const sip = countryIso === SIP_COUNTRY;
  const known = countryIso !== '' && !sip && isSupportedCountry(countryIso);
  if (countryIso && !known && !sip) problems.push(`country_iso "${countryIso}" is not a known country code`);
  const product = text('product').toLowerCase();
  if (product && !PRODUCTS.includes(product))
    problems.push(`product must be voice, sms or mms, not "${text('product')}"`);
  const direction = text('direction').toLowerCase();
  if (direction && !DIRECTIONS.includes(direction))
    problems.push(`direction must be outbound or inbound, not "${text('direction')}"`);
  let numberType = text('number_type').toLowerCase();
  if (numberType === 'any') numberType = '';
  if (numberType && !NUMBER_TYPES.includes(numberType))
    problems.push(`number_type must be local, tollfree, mobile or ip (empty: any type), not "${numberType}"`);
  const messages = product === 'sms' || product === 'mms';
  if (messages && numberType === 'ip')
    problems.push(`number_type ip is for voice (SIP calls), not ${product}`);

  if (sip && (product !== 'voice' || numberType !== 'ip' || text('prefix') !== ''))
    problems.push(
      `country_iso ${SIP_COUNTRY} prices calls to SIP endpoints: product voice, number_type ip and no prefix`,
    );
  let prefix = text('prefix').replace(/^\+/, '');
  if (prefix && !/^[1-9]\d{0,14}$/.test(prefix))
    problems.push(
      `prefix must be 1 to 15 digits, country code first (such as 1415), not "${text('prefix')}"`,
    );
  else if (prefix && known) {
    const problem = prefixProblem(prefix, countryIso as CountryCode);
    if (problem) problems.push(problem);
    // The calling code alone is the whole country: the same destination as no prefix.
    else if (prefix === getCountryCallingCode(countryIso as CountryCode)) prefix = '';
  }

  const amount = (column: string) => {
    const written = text(column);
    if (!written) return 0n;
    const micros = parseMoney(written);
    if (micros === null)
      problems.push(`${column} must be an amount such as 0.01200 (up to 6 decimals), not "${written}"`);
    return micros ?? 0n;
  };
  const rateMicros = amount('rate');
  const connectFeeMicros = amount('connect_fee');
  const initialIncrement = increment(text('initial_increment'), 'initial_increment', problems);
  const subsequentIncrement = increment(text('subsequent_increment'), 'subsequent_increment', problems);
  if (messages)
    for (const column of ['connect_fee', 'initial_increment', 'subsequent_increment'])
      if (text(column)) problems.push(`${column} is for voice: ${product} is priced per segment`);

  let effectiveFrom = now;
  const written = text('effective_from');
  if (written) {
    const parsed = parseIsoTime(written);
    if (!parsed)
      problems.push(
        `effective_from must be an ISO 8601 time such as 2027-01-01T00:00:00Z (a date alone is midnight UTC), not "${written}"`,
      );
    else if (parsed < now)
      problems.push(
        `effective_from ${written} is in the past: usage already rated keeps its price; leave it empty to take effect now`,
      );
    else effectiveFrom = parsed;
  }
  if (problems.length > 0) return problems;
  return {
    countryIso,
    product: product as UsageProduct,
    direction: direction as UsageDirection,
    numberType: numberType as PricedNumberType,
    prefix,
    rateMicros,
    connectFeeMicros,
    initialIncrement,
    subsequentIncrement,
    effectiveFrom,
  };
}

/** A deck row's destination and time: two rows with the same key would be one price twice. */
export const destinationKey = (price: {
  countryIso: string;
  product: string;
  direction: string;
  numberType: string;
  prefix: string;
  effectiveFrom: Date;
}) =>
  `${price.countryIso}|${price.product}|${price.direction}|${price.numberType}|${price.prefix}|${price.effectiveFrom.getTime()}`;

/** The destination in words, for a refusal: "US voice outbound to local numbers, prefix 1415, from 2027-01-01T00:00:00.000Z". */
export const describeDestination = (price: Omit<DeckPrice, 'line'>) =>
  `${price.countryIso} ${price.product} ${price.direction}${price.numberType ? ` (${price.numberType} numbers)` : ''}, ${
    price.prefix ? `prefix ${price.prefix}` : 'the country default'
  }, from ${price.effectiveFrom.toISOString()}`;

/**
 * Reads a price deck CSV: a header row naming the columns (any order), then one price per line.
 * Answers every price, or every problem, each naming its line.
 */
export function readPriceDeckCsv(text: string, now: Date): { prices: DeckPrice[]; problems: string[] } {
  let records: { line: number; fields: string[] }[];
  try {
    records = csvRecords(text);
  } catch (error) {
    return { prices: [], problems: [(error as Error).message] };
  }
  const [header, ...rows] = records;
  if (!header)
    return { prices: [], problems: ['the file is empty: it needs a header line and one price per line'] };
  const columns = header.fields.map((name) => name.trim().toLowerCase());
  const problems: string[] = [];
  const unknown = columns.filter((name) => !KNOWN.includes(name));
  if (unknown.length > 0)
    problems.push(
      `line ${header.line}: unknown column ${unknown.join(', ')} (columns: ${DECK_COLUMNS.join(', ')})`,
    );
  const missing = REQUIRED.filter((name) => !columns.includes(name));
  if (missing.length > 0) problems.push(`line ${header.line}: missing column ${missing.join(', ')}`);
  const twice = columns.filter((name, i) => columns.indexOf(name) !== i);
  if (twice.length > 0) problems.push(`line ${header.line}: column ${twice.join(', ')} appears twice`);
  if (problems.length > 0) return { prices: [], problems };
  if (rows.length === 0) return { prices: [], problems: ['the file has a header but no prices'] };
  const prices: DeckPrice[] = [];
  const seen = new Map<string, number>();
  for (const row of rows) {
    if (row.fields.length !== columns.length) {
      problems.push(`line ${row.line}: ${row.fields.length} fields, but the header has ${columns.length}`);
      continue;
    }
    const checked = checkDeckRow(
      Object.fromEntries(columns.map((name, i) => [name, row.fields[i] ?? ''])),
      now,
    );
    if (Array.isArray(checked)) {
      problems.push(`line ${row.line}: ${checked.join('; ')}`);
      continue;
    }
    const key = destinationKey(checked);
    const earlier = seen.get(key);
    if (earlier !== undefined)
      problems.push(`line ${row.line}: ${describeDestination(checked)} is already priced on line ${earlier}`);
    else seen.set(key, row.line);
    prices.push({ ...checked, line: row.line });
  }
  return problems.length > 0 ? { prices: [], problems } : { prices, problems };
}
