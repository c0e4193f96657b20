import {
  type CountryCode,
  getCountryCallingCode,
  isSupportedCountry,
  type PhoneNumberType as PhoneNumberKind,
  parsePhoneNumberFromString,
} from 'libphonenumber-js/max';
import type { NumberType } from '../../db/schema.js';
import { parseMoney } from '../../lib/money.js';

/** One number for the inventory, checked: what staff load with `switchboard numbers load` or the staff API. */
export interface InventoryNumber {
  number: string;
  countryIso: string;
  type: NumberType;
  region: string;
  city: string | null;
  rateCenter: string | null;
  voice: boolean;
  sms: boolean;
  mms: boolean;
  monthlyRentalMicros: bigint;
  voiceRateMicros: bigint;
  smsRateMicros: bigint;
  mmsRateMicros: bigint;
}

const REQUIRED = ['number', 'country_iso', 'type', 'region', 'voice', 'sms', 'monthly_rental'] as const;
const OPTIONAL = ['city', 'rate_center', 'mms', 'voice_rate', 'sms_rate', 'mms_rate'] as const;
const COLUMNS: readonly string[] = [...REQUIRED, ...OPTIONAL];
const TYPES: readonly string[] = ['local', 'tollfree', 'mobile'];
/**
 * What libphonenumber may call a number of each inventory type. In the NANP (+1) and a few other
 * plans one range serves fixed lines and mobiles alike (FIXED_LINE_OR_MOBILE): such a number may be
 * stocked as local or as mobile.
 */
const KINDS_OF: Record<NumberType, readonly PhoneNumberKind[]> = {
  local: ['FIXED_LINE', 'FIXED_LINE_OR_MOBILE'],
  mobile: ['MOBILE', 'FIXED_LINE_OR_MOBILE'],
  tollfree: ['TOLL_FREE'],
};
/** A number's kind as the refusal names it. */
const KIND_NAMES: Record<PhoneNumberKind, string> = {
  FIXED_LINE: 'a local (fixed-line)',
  MOBILE: 'a mobile',
  FIXED_LINE_OR_MOBILE: 'a local or mobile',
  TOLL_FREE: 'a toll-free',
  PREMIUM_RATE: 'a premium-rate',
  SHARED_COST: 'a shared-cost',
  VOIP: 'a VoIP',
  PERSONAL_NUMBER: 'a personal',
  PAGER: 'a pager',
  UAN: 'a UAN (company)',
  VOICEMAIL: 'a voicemail',
};
const YES = new Set(['true', 'yes', '1']);
const NO = new Set(['false', 'no', '0', '']);

/** RFC 4180 records (quoted fields may hold commas, quotes as "" and line breaks), each with the line it starts on. */
export function csvRecords(text: string): { line: number; fields: string[] }[] {
  const records: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  const endRecord = () => {
    fields.push(field);
    if (fields.length > 1 || fields[0] !== '') records.push({ line: start, fields });
    fields = [];
    field = '';
  };
  const body = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < body.length; i++) {
    const char = body[i];
    if (quoted) {
      if (char === '"' && body[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else {
        if (char === '\n') line++;
        field += char;
      }
    } else if (char === '"' && field === '') quoted = true;
    else if (char === ',') {
      fields.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && body[i + 1] === '\n') i++;
      endRecord();
      line++;
      start = line;
    } else field += char;
  }
  if (quoted) throw new Error(`line ${start}: a quoted field is not closed.`);
  endRecord();
  return records;
}

function flag(value: string, column: string): boolean | string {
  const normal = value.trim().toLowerCase();
  if (YES.has(normal)) return true;
  if (NO.has(normal)) return false;
  return `${column} must be true or false, not "${value}"`;
}

/**
 * Checks one number as staff wrote it (column name → text). Answers the number, or the problems
 * found, each in words that say what to fix.
 */
export function checkInventoryNumber(values: Record<string, string>): InventoryNumber | string[] {
  const problems: string[] = [];
  const text = (column: string) => (values[column] ?? '').trim();
  for (const column of REQUIRED) if (!text(column)) problems.push(`${column} is required`);
  const number = text('number').replace(/^\+/, '');
  const countryIso = text('country_iso').toUpperCase();
  if (number && !/^[1-9]\d{6,14}$/.test(number))
    problems.push(
      `number must be an E.164 number of 7 to 15 digits, such as 14155550100, not "${text('number')}"`,
    );
  if (countryIso) {
    if (!isSupportedCountry(countryIso))
      problems.push(`country_iso "${countryIso}" is not a known country code`);
    else if (number) {
      const callingCode = getCountryCallingCode(countryIso as CountryCode);
      if (!number.startsWith(callingCode))
        problems.push(`number ${number} does not start with ${countryIso}'s country code ${callingCode}`);
    }
  }
  const type = text('type').toLowerCase();
  if (type && !TYPES.includes(type)) problems.push(`type must be local, tollfree or mobile, not "${type}"`);
  if (problems.length === 0 && number && countryIso && type)
    problems.push(...numberingProblems(number, countryIso as CountryCode, type as NumberType));
  const capabilities = { voice: false, sms: false, mms: false };
  for (const column of ['voice', 'sms', 'mms'] as const) {
    const value = flag(text(column), column);
    if (typeof value === 'string') problems.push(value);
    else capabilities[column] = value;
  }
  const money = (column: string, required: boolean) => {
    const written = text(column);
    if (!written) return required ? null : 0n;
    const micros = parseMoney(written);
    if (micros === null)
      problems.push(`${column} must be an amount such as 0.80000 (up to 6 decimals), not "${written}"`);
    return micros;
  };
  const monthlyRentalMicros = money('monthly_rental', true);
  const voiceRateMicros = money('voice_rate', false);
  const smsRateMicros = money('sms_rate', false);
  const mmsRateMicros = money('mms_rate', false);
  for (const column of ['region', 'city', 'rate_center'])
    if (text(column).length > 200) problems.push(`${column} must be at most 200 characters`);
  if (
    problems.length > 0 ||
    monthlyRentalMicros === null ||
    voiceRateMicros === null ||
    smsRateMicros === null ||
    mmsRateMicros === null
  )
    return problems;
  return {
    number,
    countryIso,
    type: type as NumberType,
    region: text('region'),
    city: text('city') || null,
    rateCenter: text('rate_center') || null,
    ...capabilities,
    monthlyRentalMicros,
    voiceRateMicros,
    smsRateMicros,
    mmsRateMicros,
  };
}

/**
 * Whether the number exists in its country's numbering plan (libphonenumber's full metadata) and is of
 * the type staff stock it as: `4420555` is no GB number, and a mobile range is not sold as local.
 */
function numberingProblems(number: string, countryIso: CountryCode, type: NumberType): string[] {
  const parsed = parsePhoneNumberFromString(`+${number}`);
  if (!parsed?.isValid()) return [`${number} is not a valid ${countryIso} number`];
  const kind = parsed.getType();
  // Toll-free ranges of a shared calling code (+1 800 …) serve every country of the plan.
  const shared = kind === 'TOLL_FREE' && parsed.countryCallingCode === getCountryCallingCode(countryIso);
  if (parsed.country !== countryIso && !shared)
    return [`${number} is a ${parsed.country ?? 'non-geographic'} number, not ${countryIso}`];
  if (!kind || !KINDS_OF[type].includes(kind))
    return [`${number} is ${kind ? KIND_NAMES[kind] : 'an unclassified'} number, not ${type}`];
  return [];
}

export type InventoryLine = InventoryNumber & { line: number };

/**
 * Reads an inventory CSV: a header row naming the columns (any order), then one number per line.
 * Answers every number, or every problem, each naming its line.
 */
export function readInventoryCsv(text: string): { numbers: InventoryLine[]; problems: string[] } {
  let records: { line: number; fields: string[] }[];
  try {
    records = csvRecords(text);
  } catch (error) {
    return { numbers: [], problems: [(error as Error).message] };
  }
  const [header, ...rows] = records;
  if (!header)
    return { numbers: [], problems: ['the file is empty: it needs a header line and one number per line.'] };
  const columns = header.fields.map((name) => name.trim().toLowerCase());
  const problems: string[] = [];
  const unknown = columns.filter((name) => !COLUMNS.includes(name));
  if (unknown.length > 0)
    problems.push(
      `line ${header.line}: unknown column ${unknown.join(', ')} (columns: ${COLUMNS.join(', ')})`,
    );
  const missing = REQUIRED.filter((name) => !columns.includes(name));
  if (missing.length > 0) problems.push(`line ${header.line}: missing column ${missing.join(', ')}`);
  if (problems.length > 0) return { numbers: [], problems };
  if (rows.length === 0) return { numbers: [], problems: ['the file has a header but no numbers.'] };
  const numbers: InventoryLine[] = [];
  const seen = new Map<string, number>();
  for (const row of rows) {
    if (row.fields.length !== columns.length) {
      problems.push(`line ${row.line}: ${row.fields.length} fields, but the header has ${columns.length}`);
      continue;
    }
    const checked = checkInventoryNumber(
      Object.fromEntries(columns.map((name, i) => [name, row.fields[i] ?? ''])),
    );
    if (Array.isArray(checked)) {
      problems.push(`line ${row.line}: ${checked.join('; ')}`);
      continue;
    }
    const earlier = seen.get(checked.number);
    if (earlier !== undefined)
      problems.push(`line ${row.line}: number ${checked.number} is already on line ${earlier}`);
    else seen.set(checked.number, row.line);
    numbers.push({ ...checked, line: row.line });
  }
  return problems.length > 0 ? { numbers: [], problems } : { numbers, problems };
}
