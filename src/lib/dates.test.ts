import { describe, expect, it } from 'vitest';
import { isCalendarDate } from './dates.js';

describe('calendar dates', () => {
  it('accepts days that exist, leap days included', () => {
    for (const day of ['2026-01-31', '2024-02-29', '2000-02-29', '2026-12-31', '0001-01-01'])
      expect(isCalendarDate(day), day).toBe(true);
  });

  it('refuses days that do not exist, which Date.parse would roll over', () => {
    for (const day of [
      '2026-02-30',
      '2025-02-29',
      '1900-02-29',
      '2026-04-31',
      '2026-13-01',
      '2026-00-10',
      '2026-01-00',
      '0000-01-01',
    ])
      expect(isCalendarDate(day), day).toBe(false);
  });

  it('refuses anything but YYYY-MM-DD', () => {
    for (const day of ['2026-2-3', '20260203', '2026-02-03T00:00', ' 2026-02-03', ''])
      expect(isCalendarDate(day), day).toBe(false);
  });
});
