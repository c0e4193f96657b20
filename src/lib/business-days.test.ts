import { describe, expect, it } from 'vitest';
import { BusinessCalendar } from './business-days.js';

describe('the business-day calendar', () => {
  it('skips weekends: 20 business days after a Monday is four weeks later', () => {
    // 2026-12-07 is a Monday.
    expect(new BusinessCalendar([]).addBusinessDays(new Date('2026-12-07T15:00:00Z'), 20)).toBe('2027-01-04');
  });

  it('skips the operator’s holidays, and a holiday on a weekend changes nothing', () => {
    const calendar = new BusinessCalendar(['2026-12-25', '2027-01-01', '2026-12-26']);
    expect(calendar.addBusinessDays(new Date('2026-12-07T15:00:00Z'), 20)).toBe('2027-01-06');
    expect(calendar.isBusinessDay('2026-12-25')).toBe(false);
    expect(calendar.isBusinessDay('2026-12-24')).toBe(true);
  });

  it('starts counting the day after a closure on a Saturday', () => {
    // 2026-12-05 is a Saturday: Monday 7th is the first business day.
    expect(new BusinessCalendar([]).addBusinessDays(new Date('2026-12-05T10:00:00Z'), 1)).toBe('2026-12-07');
  });
});
