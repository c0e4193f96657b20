import type { SuspiciousActivityRule } from '../../db/schema.js';
import { formatMoney } from '../../lib/money.js';

/** The days before a day whose spend makes its average: "the 30-day average". */
export const AVERAGE_DAYS = 30;

/** The operator's rules (SUSPICIOUS_SPEND_FACTOR, SUSPICIOUS_SPEND_MIN, SUSPICIOUS_SIGNIN_COUNTRIES, SUSPICIOUS_ACTION). */
export interface SuspiciousActivitySettings {
  /** A day's spend above this many times the 30-day average is suspicious; 0 turns the rule off. */
  spendFactor: number;
  /** A day's spend below this (micro-units) is never suspicious, however small the average. */
  spendMinMicros: bigint;
  /** Sign-ins from more than this many countries in a day are suspicious; 0 turns the rule off. */
  signInCountries: number;
  /** What a rule that fires does: hold the account for staff review (a flag) or suspend it. */
  action: 'review' | 'suspend';
}

export interface SpendFigures {
  dayMicros: bigint;
  /** The spend of the 30 days before, whole: the average is this divided by 30. */
  previousMicros: bigint;
}

/** The 30-day average, in whole micro-units (rounded down): for people to read; the rule compares exactly. */
export function averageMicros(previousMicros: bigint): bigint {
  return previousMicros / BigInt(AVERAGE_DAYS);
}

/**
 * Spend in a day above N times the 30-day average (days without spend count as 0), once it is at
 * least the floor: compared in integers (day × 30 > N × previous 30 days), no rounding.
 */
export function isSpendSpike(figures: SpendFigures, settings: SuspiciousActivitySettings): boolean {
  if (settings.spendFactor === 0) return false;
  if (figures.dayMicros < settings.spendMinMicros) return false;
  return figures.dayMicros * BigInt(AVERAGE_DAYS) > BigInt(settings.spendFactor) * figures.previousMicros;
}

/** The distinct countries of a day's sign-ins, sorted; sign-ins from addresses of no known country are left out. */
export function countriesOf(signInCountries: readonly (string | null)[]): string[] {
  return [...new Set(signInCountries.filter((country): country is string => country !== null))].sort();
}

/** Sign-ins from more than N countries in a day. */
export function isTooManyCountries(
  countries: readonly string[],
  settings: SuspiciousActivitySettings,
): boolean {
  return settings.signInCountries > 0 && countries.length > settings.signInCountries;
}

/** How staff and the suspension notice name each rule. */
export const ruleLabels: Record<SuspiciousActivityRule, string> = {
  spend_spike: 'Spend far above the 30-day average',
  sign_in_countries: 'Sign-ins from many countries',
};

/** What a flag says, in words staff (and a suspension notice) read. */
export function describeFlag(rule: SuspiciousActivityRule, day: string, figures: Record<string, unknown>) {
  if (rule === 'spend_spike') {
    const currency = String(figures.currency);
    const spent = `Spend on ${day}: ${formatMoney(BigInt(String(figures.dayMicros)))} ${currency}`;
    if (BigInt(String(figures.averageMicros)) === 0n)
      return `${spent}, after no spend in the ${AVERAGE_DAYS} days before.`;
    return `${spent}, above ${figures.factor} times the ${AVERAGE_DAYS}-day average of ${formatMoney(BigInt(String(figures.averageMicros)))} ${currency}.`;
  }
  const countries = figures.countries as string[];
  return `Sign-ins from ${countries.length} countries on ${day} (${countries.join(', ')}), more than ${figures.limit}.`;
}
