/** Money is BIGINT micro-units of the account currency: 1 unit = 1,000,000 micro-units. No floats anywhere. */
export const MICROS_PER_UNIT = 1_000_000n;

/**
 * Renders micro-units as the API shows money: a string with 5 decimals ("4.88860"). The sixth
 * decimal is rounded half away from zero — the one rounding rule of the API's money.
 */
export function formatMoney(micros: bigint): string {
  const negative = micros < 0n;
  const magnitude = negative ? -micros : micros;
  const tenths = (magnitude + 5n) / 10n;
  const units = tenths / 100_000n;
  const fraction = (tenths % 100_000n).toString().padStart(5, '0');
  return `${negative && tenths !== 0n ? '-' : ''}${units}.${fraction}`;
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
