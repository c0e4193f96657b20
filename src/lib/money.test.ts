import { describe, expect, it } from 'vitest';
import { formatMoney } from './money.js';

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
