/**
 * Money: BIGINT micro-units of a currency (1 unit = 1,000,000 micro-units), never a float. Its
 * arithmetic, its one rounding rule and its two renderings live here. This file imports nothing from
 * Node: the console imports it too, so the console and the emails show money the same way.
 */
export const MICROS_PER_UNIT = 1_000_000n;

/** An amount in a currency (an ISO 4217 code such as "USD"). */
export interface Money {
  readonly micros: bigint;
  readonly currency: string;
}

/** Thrown when two amounts in different currencies meet: a program error, never a customer's. */
export class CurrencyMismatch extends Error {
  constructor(
    readonly left: string,
    readonly right: string,
  ) {
    super(`Cannot combine ${left} with ${right}: amounts must be in one currency`);
    this.name = 'CurrencyMismatch';
  }
}

/** A currency this runtime can render: three capital letters known to Intl ("USD", "EUR"). */
export function isCurrencyCode(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) && Intl.supportedValuesOf('currency').includes(code);
}

export function money(micros: bigint, currency: string): Money {
  return { micros, currency };
}

function sameCurrency(a: Money, b: Money): string {
  if (a.currency !== b.currency) throw new CurrencyMismatch(a.currency, b.currency);
  return a.currency;
}

export function add(a: Money, b: Money): Money {
  return { micros: a.micros + b.micros, currency: sameCurrency(a, b) };
}

export function subtract(a: Money, b: Money): Money {
  return { micros: a.micros - b.micros, currency: sameCurrency(a, b) };
}

export function negate(a: Money): Money {
  return { micros: -a.micros, currency: a.currency };
}

/** -1, 0 or 1 as `a` is less than, equal to or more than `b`; usable as a sort comparator. */
export function compare(a: Money, b: Money): -1 | 0 | 1 {
  sameCurrency(a, b);
  return a.micros < b.micros ? -1 : a.micros > b.micros ? 1 : 0;
}

/**
 * Divides and rounds half away from zero: THE rounding rule of money, wherever an amount is not a
 * whole number of micro-units (a ratio here, five decimals for the API).
 */
function divideRounded(numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new RangeError('Cannot divide money by zero');
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const magnitude = (2n * n + d) / (2n * d);
  return negative ? -magnitude : magnitude;
}

/**
 * An amount times a whole number (`3n`: three SMS parts) or a ratio (`{ numerator: 37n,
 * denominator: 60n }`: 37 seconds of a per-minute rate), rounded half away from zero to the micro-unit.
 */
export function multiply(a: Money, factor: bigint | { numerator: bigint; denominator: bigint }): Money {
  const micros =
    typeof factor === 'bigint'
      ? a.micros * factor
      : divideRounded(a.micros * factor.numerator, factor.denominator);
  return { micros, currency: a.currency };
}

/**
 * Renders micro-units as the /v1 API shows money, as Plivo does: a string with 5 decimals
 * ("4.88860"), the sixth decimal rounded half away from zero, no currency.
 */
export function formatMoney(micros: bigint): string {
  const tenths = divideRounded(micros, 10n);
  const magnitude = tenths < 0n ? -tenths : tenths;
  const fraction = (magnitude % 100_000n).toString().padStart(5, '0');
  return `${tenths < 0n ? '-' : ''}${magnitude / 100_000n}.${fraction}`;
}

/**
 * Reads an amount written in units ("0.8", "0.80000", "12") as micro-units, exactly: no floats, at
 * most 6 decimals, never negative. Answers null for anything else.
 */
export function parseMoney(text: string): bigint | null {
  const match = /^(\d{1,12})(?:\.(\d{1,6}))?$/.exec(text.trim());
  if (!match) return null;
  return BigInt(match[1] as string) * MICROS_PER_UNIT + BigInt((match[2] ?? '').padEnd(6, '0'));
}

const displayFormats = new Map<string, Intl.NumberFormat>();

function displayFormat(currency: string, locale: string | undefined): Intl.NumberFormat {
  const key = `${locale ?? ''}|${currency}`;
  let format = displayFormats.get(key);
  if (!format) {
    const minorDigits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
      .minimumFractionDigits;
    format = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency,
      minimumFractionDigits: minorDigits,
      maximumFractionDigits: 6,
    });
    displayFormats.set(key, format);
  }
  return format;
}

/**
 * Renders an amount for people (console, emails): the currency's symbol and the locale's digits, at
 * least the currency's minor digits and as many more as the amount has ("$0.80", "$0.0085",
 * "1.234,50 €"), exactly: it never rounds. `locale` undefined is the runtime's (the browser's language).
 */
export function displayMoney(amount: Money, locale?: string): string {
  const magnitude = amount.micros < 0n ? -amount.micros : amount.micros;
  const fraction = (magnitude % MICROS_PER_UNIT).toString().padStart(6, '0');
  const decimal = `${amount.micros < 0n ? '-' : ''}${magnitude / MICROS_PER_UNIT}.${fraction}` as `${number}`;
  return displayFormat(amount.currency, locale).format(decimal);
}
