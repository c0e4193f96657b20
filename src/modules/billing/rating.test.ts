import { describe, expect, it } from 'vitest';
import { money } from '../../lib/money.js';
import { billedSeconds, rate, type Tariff } from './rating.js';

const usd = (micros: bigint) => money(micros, 'USD');
/** $0.0085 a minute, no connect fee, 60/60. */
const perMinute: Tariff = {
  rate: usd(8_500n),
  connectFee: usd(0n),
  initialIncrement: 60,
  subsequentIncrement: 60,
};

describe('billed seconds at the increments', () => {
  it('bills nothing for 0 s: the call never connected', () => {
    expect(billedSeconds(0n, 60, 60)).toBe(0n);
    expect(billedSeconds(0n, 1, 1)).toBe(0n);
  });
  it('bills the whole first increment for 1 s', () => {
    expect(billedSeconds(1n, 60, 60)).toBe(60n);
    expect(billedSeconds(1n, 30, 6)).toBe(30n);
    expect(billedSeconds(1n, 1, 1)).toBe(1n);
  });
  it('bills exactly one increment for a call of exactly one increment', () => {
    expect(billedSeconds(60n, 60, 60)).toBe(60n);
    expect(billedSeconds(30n, 30, 6)).toBe(30n);
  });
  it('starts a further increment one second over', () => {
    expect(billedSeconds(61n, 60, 60)).toBe(120n);
    expect(billedSeconds(31n, 30, 6)).toBe(36n);
    expect(billedSeconds(36n, 30, 6)).toBe(36n);
    expect(billedSeconds(37n, 30, 6)).toBe(42n);
    expect(billedSeconds(61n, 1, 1)).toBe(61n);
  });
});

describe('rating a usage event', () => {
  it('charges a 0 s call nothing, connect fee included', () => {
    const rated = rate('voice', { ...perMinute, connectFee: usd(10_000n) }, 0n);
    expect(rated).toEqual({ billedQuantity: 0n, amount: usd(0n) });
  });
  it('charges voice per minute of billed seconds', () => {
    expect(rate('voice', perMinute, 1n).amount).toEqual(usd(8_500n));
    expect(rate('voice', perMinute, 60n).amount).toEqual(usd(8_500n));
    expect(rate('voice', perMinute, 61n).amount).toEqual(usd(17_000n));
  });
  it('adds the connect fee once to a connected call', () => {
    expect(rate('voice', { ...perMinute, connectFee: usd(10_000n) }, 61n).amount).toEqual(usd(27_000n));
  });
  it('rounds a fraction of a micro-unit half away from zero, once per event', () => {
    // 1/1 increments at $0.0085/min: 7 s = 8,500 × 7 / 60 = 991.666… → 992 micro-units.
    const perSecond = { ...perMinute, initialIncrement: 1, subsequentIncrement: 1 };
    expect(rate('voice', perSecond, 7n)).toEqual({ billedQuantity: 7n, amount: usd(992n) });
    // 1 s = 141.666… → 142; 6 s = 850 exactly.
    expect(rate('voice', perSecond, 1n).amount).toEqual(usd(142n));
    expect(rate('voice', perSecond, 6n).amount).toEqual(usd(850n));
    // A rate of 90 micro-units a minute: 20 s = 30 exactly, 1 s = 1.5 → 2 (half goes up).
    expect(rate('voice', { ...perSecond, rate: usd(90n) }, 1n).amount).toEqual(usd(2n));
  });
  it('charges messages per segment', () => {
    const sms: Tariff = { ...perMinute, rate: usd(5_000n) };
    expect(rate('sms', sms, 3n)).toEqual({ billedQuantity: 3n, amount: usd(15_000n) });
    expect(rate('mms', sms, 0n)).toEqual({ billedQuantity: 0n, amount: usd(0n) });
  });
});
