import type { UsageProduct } from '../../db/schema.js';
import { add, type Money, multiply } from '../../lib/money.js';

/** What a price row says about one destination: per minute for voice, per segment for messages. */
export interface Tariff {
  rate: Money;
  connectFee: Money;
  /** Seconds: a call is billed the first increment whole, then each further increment it starts. */
  initialIncrement: number;
  subsequentIncrement: number;
}

export interface Rated {
  /** Seconds after increments (voice) or segments (messages). */
  billedQuantity: bigint;
  amount: Money;
}

/**
 * Seconds a call is billed: nothing for 0 s (a call that never connected), else the first increment
 * whole and each further increment started (60/60: 61 s bills 120 s; 30/6: 31 s bills 36 s).
 */
export function billedSeconds(
  seconds: bigint,
  initialIncrement: number,
  subsequentIncrement: number,
): bigint {
  if (seconds <= 0n) return 0n;
  const initial = BigInt(initialIncrement);
  if (seconds <= initial) return initial;
  const subsequent = BigInt(subsequentIncrement);
  return initial + ((seconds - initial + subsequent - 1n) / subsequent) * subsequent;
}

/**
 * Rates one usage event. Voice: the connect fee plus the billed seconds at the per-minute rate,
 * rounded once, half away from zero, to the micro-unit (money.ts's one rule); a 0 s call costs
 * nothing. Messages: segments × the per-segment rate, exact.
 */
export function rate(product: UsageProduct, tariff: Tariff, quantity: bigint): Rated {
  if (product === 'voice') {
    const billed = billedSeconds(quantity, tariff.initialIncrement, tariff.subsequentIncrement);
    if (billed === 0n) return { billedQuantity: 0n, amount: multiply(tariff.rate, 0n) };
    return {
      billedQuantity: billed,
      amount: add(tariff.connectFee, multiply(tariff.rate, { numerator: billed, denominator: 60n })),
    };
  }
  return { billedQuantity: quantity, amount: multiply(tariff.rate, quantity) };
}
