/**
 * A calendar date written 'YYYY-MM-DD' that exists: 2026-02-30 and 2025-02-29 do not, and neither
 * does year 0 (PostgreSQL has none). JavaScript's Date.parse rolls such dates over instead.
 */
export function isCalendarDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number];
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  const date = new Date(0);
  date.setUTCFullYear(year, month, 0);
  return day <= date.getUTCDate();
}
