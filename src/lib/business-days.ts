/**
 * The operator's business-day calendar: Monday to Friday, less the operator's holidays
 * (OPERATOR_HOLIDAYS, dates written 'YYYY-MM-DD'). Days are calendar dates in UTC.
 */
export class BusinessCalendar {
  private readonly holidays: ReadonlySet<string>;

  constructor(holidays: readonly string[]) {
    this.holidays = new Set(holidays);
  }

  isBusinessDay(day: string): boolean {
    const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
    return weekday !== 0 && weekday !== 6 && !this.holidays.has(day);
  }

  /** The `count`th business day after the day of `from` (that day itself does not count). */
  addBusinessDays(from: Date, count: number): string {
    const day = new Date(`${from.toISOString().slice(0, 10)}T00:00:00Z`);
    let left = count;
    while (left > 0) {
      day.setUTCDate(day.getUTCDate() + 1);
      if (this.isBusinessDay(day.toISOString().slice(0, 10))) left--;
    }
    return day.toISOString().slice(0, 10);
  }
}
