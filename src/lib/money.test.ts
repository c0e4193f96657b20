import { describe, expect, it } from 'vitest';
import {
  add,
  CurrencyMismatch,
  compare,
  displayMoney,
  formatMoney,
  isCurrencyCode,
  money,
  multiply,
  negate,
  parseMoney,
  subtract,
} from './money.js';

describe('money as the API shows it', () => {
  it('renders micro-units with five decimals', () => {
    expect(formatMoney(4_888_600n)).toBe('4.88860');
    expect(formatMoney(0n)).toBe('0.00000');
    expect(formatMoney(800_000n)).toBe('0.80000');
    expect(formatMoney(123_456_789_012n)).toBe('123456.78901');
  });
  it('rounds the sixth decimal half away from zero', () => {
    expect(formatMoney(1_000_005n)).toBe('1.00001');
    expect(formatMoney(1_000_004n)).toBe('1.00000');
    expect(formatMoney(-1_000_005n)).toBe('-1.00001');
    expect(formatMoney(-4n)).toBe('0.00000');
  });
});

describe('money as staff write it (inventory files)', () => {
  it('reads units with up to six decimals as exact micro-units', () => {
    expect(parseMoney('0.8')).toBe(800_000n);
    expect(parseMoney('0.80000')).toBe(800_000n);
    expect(parseMoney('12')).toBe(12_000_000n);
    expect(parseMoney('0.008500')).toBe(8_500n);
  });
  it('refuses negative amounts, more than six decimals and anything that is not a number', () => {
    expect(parseMoney('-1')).toBeNull();
    expect(parseMoney('0.0000001')).toBeNull();
    expect(parseMoney('1e3')).toBeNull();
    expect(parseMoney('')).toBeNull();
  });
});

describe('money arithmetic', () => {
  const usd = (micros: bigint) => money(micros, 'USD');

  it('adds, subtracts and negates in micro-units', () => {
    expect(add(usd(800_000n), usd(8_500n))).toEqual(usd(808_500n));
    expect(subtract(usd(800_000n), usd(1_000_000n))).toEqual(usd(-200_000n));
    expect(negate(usd(8_500n))).toEqual(usd(-8_500n));
  });
  it('compares amounts, usable to sort them', () => {
    expect(compare(usd(1n), usd(2n))).toBe(-1);
    expect(compare(usd(2n), usd(2n))).toBe(0);
    expect([usd(3n), usd(-1n), usd(2n)].sort(compare)).toEqual([usd(-1n), usd(2n), usd(3n)]);
  });
  it('refuses to add, subtract or compare amounts in different currencies', () => {
    const euros = money(1n, 'EUR');
    expect(() => add(usd(1n), euros)).toThrow(CurrencyMismatch);
    expect(() => subtract(usd(1n), euros)).toThrow(CurrencyMismatch);
    expect(() => compare(usd(1n), euros)).toThrow('Cannot combine USD with EUR');
  });
  it('multiplies by a whole number exactly', () => {
    expect(multiply(usd(8_500n), 3n)).toEqual(usd(25_500n));
    expect(multiply(usd(8_500n), -2n)).toEqual(usd(-17_000n));
  });
  it('multiplies by a ratio, rounding half away from zero to the micro-unit', () => {
    // 37 seconds of 0.01 a minute: 6166.66… micro-units.
    expect(multiply(usd(10_000n), { numerator: 37n, denominator: 60n })).toEqual(usd(6_167n));
    expect(multiply(usd(1n), { numerator: 1n, denominator: 2n })).toEqual(usd(1n));
    expect(multiply(usd(-1n), { numerator: 1n, denominator: 2n })).toEqual(usd(-1n));
    expect(multiply(usd(3n), { numerator: 1n, denominator: 4n })).toEqual(usd(1n));
    expect(multiply(usd(10n), { numerator: -1n, denominator: 4n })).toEqual(usd(-3n));
    expect(() => multiply(usd(1n), { numerator: 1n, denominator: 0n })).toThrow(RangeError);
  });
});

describe('money as people read it (console, emails)', () => {
  it('shows the currency symbol with at least its minor digits and never rounds', () => {
    expect(displayMoney(money(800_000n, 'USD'), 'en-US')).toBe('$0.80');
    expect(displayMoney(money(8_500n, 'USD'), 'en-US')).toBe('$0.0085');
    expect(displayMoney(money(1_234_500_001n, 'USD'), 'en-US')).toBe('$1,234.500001');
    expect(displayMoney(money(-12_000_000n, 'USD'), 'en-US')).toBe('-$12.00');
  });
  it("follows the locale's digits and the currency's own minor unit", () => {
    expect(displayMoney(money(1_234_500_000n, 'EUR'), 'de-DE')).toBe('1.234,50\u00a0€');
    expect(displayMoney(money(1_500_000_000n, 'JPY'), 'en-US')).toBe('¥1,500');
  });
  it('knows a currency code from anything else', () => {
    expect(isCurrencyCode('USD')).toBe(true);
    expect(isCurrencyCode('usd')).toBe(false);
    expect(isCurrencyCode('XYZ')).toBe(false);
  });
});
