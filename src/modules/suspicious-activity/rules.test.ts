import { describe, expect, it } from 'vitest';
import {
  averageMicros,
  countriesOf,
  describeFlag,
  isSpendSpike,
  isTooManyCountries,
  type SuspiciousActivitySettings,
} from './rules.js';

const settings: SuspiciousActivitySettings = {
  spendFactor: 10,
  spendMinMicros: 50_000_000n,
  signInCountries: 3,
  action: 'review',
};
const units = (amount: number) => BigInt(Math.round(amount * 1_000_000));

describe('spend in a day above N times the 30-day average', () => {
  it('flags a day above 10 times the average once it reaches the floor', () => {
    // 30 days at 1.00 a day: an average of 1.00; 60.00 in a day is 60 times that.
    expect(isSpendSpike({ dayMicros: units(60), previousMicros: units(30) }, settings)).toBe(true);
  });

  it('does not flag a day of exactly 10 times the average ("above")', () => {
    expect(isSpendSpike({ dayMicros: units(100), previousMicros: units(300) }, settings)).toBe(false);
    expect(isSpendSpike({ dayMicros: units(100) + 1n, previousMicros: units(300) }, settings)).toBe(true);
  });

  it('does not flag a tiny day however small the average: 0.20 after 0.01 a day is under the floor', () => {
    expect(isSpendSpike({ dayMicros: units(0.2), previousMicros: units(0.3) }, settings)).toBe(false);
    expect(isSpendSpike({ dayMicros: units(49.99), previousMicros: 0n }, settings)).toBe(false);
  });

  it('counts days without spend as 0: a new account spending above the floor at once is flagged', () => {
    expect(isSpendSpike({ dayMicros: units(50), previousMicros: 0n }, settings)).toBe(true);
  });

  it('does not flag a normal day of a busy account', () => {
    expect(isSpendSpike({ dayMicros: units(120), previousMicros: units(3000) }, settings)).toBe(false);
  });

  it('is off with a factor of 0', () => {
    expect(
      isSpendSpike({ dayMicros: units(1000), previousMicros: 0n }, { ...settings, spendFactor: 0 }),
    ).toBe(false);
  });

  it('reads the average in whole micro-units, rounded down', () => {
    expect(averageMicros(units(30))).toBe(units(1));
    expect(averageMicros(100n)).toBe(3n);
  });
});

describe('sign-ins from more than N countries in a day', () => {
  it('counts distinct countries, leaving out addresses of no known country', () => {
    expect(countriesOf(['GB', 'DE', 'GB', null, 'FR'])).toEqual(['DE', 'FR', 'GB']);
  });

  it('flags 4 countries and not 3 when N is 3', () => {
    expect(isTooManyCountries(['DE', 'FR', 'GB', 'JP'], settings)).toBe(true);
    expect(isTooManyCountries(['DE', 'FR', 'GB'], settings)).toBe(false);
  });

  it('is off with N of 0', () => {
    expect(isTooManyCountries(['DE', 'FR', 'GB', 'JP'], { ...settings, signInCountries: 0 })).toBe(false);
  });
});

describe('what a flag says', () => {
  it('names the day, the spend and the average, or that there was no spend before', () => {
    const figures = { dayMicros: '60000000', factor: 10, currency: 'USD' };
    expect(describeFlag('spend_spike', '2026-12-06', { ...figures, averageMicros: '1000000' })).toBe(
      'Spend on 2026-12-06: 60.00000 USD, above 10 times the 30-day average of 1.00000 USD.',
    );
    expect(describeFlag('spend_spike', '2026-12-06', { ...figures, averageMicros: '0' })).toBe(
      'Spend on 2026-12-06: 60.00000 USD, after no spend in the 30 days before.',
    );
    expect(
      describeFlag('sign_in_countries', '2026-12-06', { countries: ['DE', 'FR', 'GB', 'JP'], limit: 3 }),
    ).toBe('Sign-ins from 4 countries on 2026-12-06 (DE, FR, GB, JP), more than 3.');
  });
});
