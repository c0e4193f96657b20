import { describe, expect, it } from 'vitest';
import { money } from '../../lib/money.js';
import type { Tariff } from '../billing/rating.js';
import { affordable, costOf, firstCallCover } from './holds.js';

const tariff = (rate: bigint, connectFee = 0n, initialIncrement = 60, subsequentIncrement = 60): Tariff => ({
  rate: money(rate, 'USD'),
  connectFee: money(connectFee, 'USD'),
  initialIncrement,
  subsequentIncrement,
});

describe('what credit buys', () => {
  it('answers whole increments of a call the credit covers, connect fee included', () => {
    // 0.01 a minute, 60/60: 0.035 buys three minutes, not four.
    expect(affordable('voice', tariff(10_000n), 35_000n, 14_400n)).toBe(180n);
    // A connect fee of 0.005 still leaves three minutes; a cent more leaves two.
    expect(affordable('voice', tariff(10_000n, 5_000n), 35_000n, 14_400n)).toBe(180n);
    expect(affordable('voice', tariff(10_000n, 5_001n), 35_000n, 14_400n)).toBe(120n);
    // 30/6 increments: 0.012 a minute, 0.0075 buys 36 s (0.0072) and not 42 s (0.0084).
    expect(affordable('voice', tariff(12_000n, 0n, 30, 6), 7_500n, 14_400n)).toBe(36n);
  });

  it('answers 0 when the first increment is not covered, and the cap for a free destination', () => {
    expect(affordable('voice', tariff(10_000n), 9_999n, 14_400n)).toBe(0n);
    expect(affordable('voice', tariff(10_000n), -1n, 14_400n)).toBe(0n);
    expect(affordable('voice', tariff(0n), 0n, 14_400n)).toBe(14_400n);
    expect(affordable('voice', tariff(10_000n), 10_000_000n, 14_400n)).toBe(14_400n);
  });

  it('never answers seconds that cost more than the credit, whatever the rounding', () => {
    for (const rateMicros of [1n, 7n, 3_333n, 10_001n, 123_457n])
      for (const credit of [0n, 1n, 999n, 50_000n, 1_234_567n]) {
        const priced = tariff(rateMicros, 17n, 30, 7);
        const seconds = affordable('voice', priced, credit, 100_000n);
        if (seconds > 0n) expect(costOf('voice', priced, seconds)).toBeLessThanOrEqual(credit);
        // One increment more would cost more than the credit (unless the cap stopped it).
        if (seconds < 100_000n)
          expect(costOf('voice', priced, seconds === 0n ? 30n : seconds + 7n)).toBeGreaterThan(credit);
      }
  });

  it('answers whole message units', () => {
    expect(affordable('sms', tariff(6_500n), 20_000n, 1_000n)).toBe(3n);
    expect(affordable('sms', tariff(6_500n), 6_499n, 1_000n)).toBe(0n);
    expect(affordable('sms', tariff(0n), 0n, 1_000n)).toBe(1_000n);
  });

  it('holds at least the first increment of a call', () => {
    expect(firstCallCover(tariff(1n, 0n, 60, 60), 60)).toBe(60n);
    expect(firstCallCover(tariff(1n, 0n, 120, 60), 60)).toBe(120n);
  });
});
