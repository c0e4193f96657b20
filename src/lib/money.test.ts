import { describe, expect, it } from 'vitest';
import { formatMoney, parseMoney } from './money.js';

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
