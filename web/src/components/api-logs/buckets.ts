import type { ApiRequest } from './logs';

export const statusClasses = ['2xx', '3xx', '4xx', '5xx'] as const;
export type StatusClass = (typeof statusClasses)[number];
export type BucketUnit = 'minute' | 'hour' | 'day';

export interface Bucket {
  start: Date;
  counts: Record<StatusClass, number>;
}

function floorTo(at: Date, unit: BucketUnit): Date {
  const floored = new Date(at);
  floored.setSeconds(0, 0);
  if (unit !== 'minute') floored.setMinutes(0);
  if (unit === 'day') floored.setHours(0);
  return floored;
}

function after(at: Date, unit: BucketUnit): Date {
  const next = new Date(at);
  if (unit === 'minute') next.setMinutes(next.getMinutes() + 1);
  else if (unit === 'hour') next.setHours(next.getHours() + 1);
  else next.setDate(next.getDate() + 1);
  return next;
}

const classOf = (status: number): StatusClass =>
  status >= 500 ? '5xx' : status >= 400 ? '4xx' : status >= 300 ? '3xx' : '2xx';

const emptyCounts = (): Record<StatusClass, number> => ({ '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 });

/**
 * Requests counted per minute, hour or day (the finest unit that spans them in at most `maxBars`
 * bars) and per status class, oldest first. Gaps are empty bars, except across a span so long that
 * even days would be too many bars: then only the days with requests are kept.
 */
export function bucketsOf(requests: ApiRequest[], maxBars = 60): { unit: BucketUnit; buckets: Bucket[] } {
  if (requests.length === 0) return { unit: 'minute', buckets: [] };
  const times = requests.map((request) => new Date(request.at).getTime());
  const span = Math.max(...times) - Math.min(...times);
  const unit: BucketUnit = span < maxBars * 60_000 ? 'minute' : span < maxBars * 3_600_000 ? 'hour' : 'day';

  const byStart = new Map<number, Bucket>();
  const last = floorTo(new Date(Math.max(...times)), unit);
  for (let at = floorTo(new Date(Math.min(...times)), unit); at <= last; at = after(at, unit)) {
    byStart.set(at.getTime(), { start: at, counts: emptyCounts() });
  }
  for (const request of requests) {
    const bucket = byStart.get(floorTo(new Date(request.at), unit).getTime());
    if (bucket) bucket.counts[classOf(request.status)] += 1;
  }
  let buckets = [...byStart.values()];
  if (buckets.length > maxBars * 3) {
    buckets = buckets.filter((bucket) => statusClasses.some((c) => bucket.counts[c] > 0));
  }
  return { unit, buckets };
}
