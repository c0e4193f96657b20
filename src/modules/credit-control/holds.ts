import type { UsageProduct } from '../../db/schema.js';
import { rate, type Tariff } from '../billing/rating.js';

/** The longest call a session allows, whatever the credit (Plivo's default call time limit: 4 hours). */
export const MAX_CALL_SECONDS = 14_400n;
/** The most segments one message session allows. */
export const MAX_MESSAGE_UNITS = 1_000n;

/** What `quantity` seconds (voice) or units (messages) cost at the tariff, in micro-units. */
export function costOf(product: UsageProduct, tariff: Tariff, quantity: bigint): bigint {
  return rate(product, tariff, quantity).amount.micros;
}

/**
 * The most seconds (voice, on an increment boundary) or units (messages) that `micros` pays for at
 * the tariff, at most `cap`: 0 when not even the first increment (with the connect fee) or one unit
 * is covered. A free destination is bounded by the cap alone.
 */
export function affordable(product: UsageProduct, tariff: Tariff, micros: bigint, cap: bigint): bigint {
  if (micros < 0n) return 0n;
  const rateMicros = tariff.rate.micros;
  if (product !== 'voice') {
    if (rateMicros === 0n) return cap;
    const units = micros / rateMicros;
    return units < cap ? units : cap;
  }
  const initial = BigInt(tariff.initialIncrement);
  const step = BigInt(tariff.subsequentIncrement);
  const costs = (seconds: bigint) => costOf(product, tariff, seconds);
  if (costs(initial) > micros) return 0n;
  if (rateMicros === 0n) return cap;
  // The estimate from the per-minute rate, snapped to an increment, then corrected for rounding.
  const estimate = ((micros - tariff.connectFee.micros) * 60n) / rateMicros;
  let seconds = estimate <= initial ? initial : initial + ((estimate - initial) / step) * step;
  while (seconds > initial && costs(seconds) > micros) seconds -= step;
  while (costs(seconds + step) <= micros && seconds + step <= cap) seconds += step;
  return seconds < cap ? seconds : cap;
}

/** The first hold of a call: an interval of usage, at least the first increment (so the connect fee with it). */
export function firstCallCover(tariff: Tariff, intervalSeconds: number): bigint {
  return BigInt(Math.max(intervalSeconds, tariff.initialIncrement));
}
