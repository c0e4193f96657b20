import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

/** The rate limit's window: no interval this long admits more than the limit. */
export const WINDOW_MS = 1000;

/** What a request's count decided. */
export interface RateDecision {
  admitted: boolean;
  /** Requests the key may still make in the window ending now (this one counted if admitted). */
  remaining: number;
  /** Milliseconds until the oldest admission that blocks or counts against the key leaves the window. */
  resetMs: number;
}

/**
 * A sliding-window log per key: a request is admitted when fewer than `limit` admissions fall in
 * the last WINDOW_MS (the limit-th most recent is at least a window old), so no one-second
 * interval, wherever it starts, admits more than the limit. Refused requests are not logged: a
 * client retrying in a loop gets the limit each second, no less.
 */
export interface RateCounter {
  /** The in-memory counter answers at once; Redis answers with a promise. */
  hit(key: string, limit: number, nowMs: number): RateDecision | Promise<RateDecision>;
}

/**
 * A key's admissions in the window, oldest first, in a ring: `count` of them end just before
 * `next`. The ring grows only as far as the key's busiest window needs, never past the limit (a
 * limit of a million must not cost every account megabytes), and keeps its size when the limit is
 * lowered. Admissions leave from the oldest end as time passes, each once: a hit costs O(1).
 */
class AdmissionRing {
  times: Float64Array;
  next = 0;
  count = 0;
  newest = Number.NEGATIVE_INFINITY;

  constructor(capacity: number) {
    this.times = new Float64Array(capacity);
  }

  /** The position of the i-th admission in the window, from the oldest. */
  position(i: number): number {
    const position = this.next - this.count + i;
    const capacity = this.times.length;
    return position < 0 ? position + capacity : position >= capacity ? position - capacity : position;
  }

  /** Drops the admissions at or before `windowStart`. */
  leave(windowStart: number) {
    while (this.count > 0 && (this.times[this.position(0)] as number) <= windowStart) this.count--;
  }

  /** Moves the admissions, oldest first, to the start of a larger ring. */
  grow(capacity: number) {
    const times = new Float64Array(capacity);
    for (let i = 0; i < this.count; i++) times[i] = this.times[this.position(i)] as number;
    this.times = times;
    this.next = this.count;
  }

  /** Logs an admission; the ring must have room. */
  push(atMs: number) {
    // Times stay in order if the wall clock steps back: the admission is logged at the newest time.
    this.newest = Math.max(atMs, this.newest);
    this.times[this.next] = this.newest;
    this.next = this.next + 1 === this.times.length ? 0 : this.next + 1;
    this.count++;
  }
}

const SWEEP_EVERY_MS = 10_000;
const FIRST_CAPACITY = 32;

/** One process's counter: a ring of admission times per key, in a typed array, synchronous. */
export function memoryRateCounter(): RateCounter {
  const rings = new Map<string, AdmissionRing>();
  let lastSweep = 0;

  // Keys without an admission in the last window hold nothing that matters: dropped now and then.
  function sweep(nowMs: number) {
    lastSweep = nowMs;
    for (const [key, ring] of rings) if (ring.newest <= nowMs - WINDOW_MS) rings.delete(key);
  }

  return {
    hit(key, limit, nowMs) {
      if (nowMs - lastSweep >= SWEEP_EVERY_MS) sweep(nowMs);
      let ring = rings.get(key);
      // A log more than a window ahead is from before the wall clock stepped back: forgotten.
      if (!ring || ring.newest > nowMs + WINDOW_MS) {
        ring = new AdmissionRing(Math.min(limit, FIRST_CAPACITY));
        rings.set(key, ring);
      }
      const windowStart = nowMs - WINDOW_MS;
      ring.leave(windowStart);
      if (ring.count >= limit) {
        // Refused until enough admissions leave the window for one more (more than one if the limit was lowered).
        const blocking = ring.times[ring.position(ring.count - limit)] as number;
        return { admitted: false, remaining: 0, resetMs: blocking - windowStart };
      }
      if (ring.count === ring.times.length) ring.grow(Math.min(limit, ring.times.length * 2));
      ring.push(nowMs);
      return {
        admitted: true,
        remaining: limit - ring.count,
        resetMs: (ring.times[ring.position(0)] as number) - windowStart,
      };
    },
  };
}

/**
 * The same log in Redis, shared by every instance: a sorted set per key scored by admission time,
 * read and written by one Lua script (one round trip, atomic). The time is the calling instance's
 * clock, passed in (so instances must keep their clocks in step, as NTP does, and a fake clock
 * in tests is honoured); entries out of the window, or more than a window ahead (a clock stepped
 * back), are dropped by score, and an idle key expires after a minute.
 */
const slidingWindowScript = `
local now = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local window = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '(' .. (now + window), '+inf')
local count = redis.call('ZCARD', KEYS[1])
local admitted = 0
if count < limit then
  redis.call('ZADD', KEYS[1], now, ARGV[4])
  redis.call('PEXPIRE', KEYS[1], 60000)
  count = count + 1
  admitted = 1
end
local blocking = 0
if admitted == 0 then blocking = count - limit end
local entry = redis.call('ZRANGE', KEYS[1], blocking, blocking, 'WITHSCORES')
local remaining = limit - count
if remaining < 0 then remaining = 0 end
return {admitted, remaining, tonumber(entry[2]) + window - now}
`;

type SlidingWindowCommand = (
  key: string,
  nowMs: number,
  limit: number,
  windowMs: number,
  admission: string,
) => Promise<[number, number, number]>;

export function redisRateCounter(redis: Redis): RateCounter {
  redis.defineCommand('sbSlidingWindowHit', { numberOfKeys: 1, lua: slidingWindowScript });
  const command = (redis as unknown as { sbSlidingWindowHit: SlidingWindowCommand }).sbSlidingWindowHit.bind(
    redis,
  );
  // A member of the set per hit, unique across instances (a random prefix per process).
  const prefix = randomBytes(6).toString('base64url');
  let hits = 0;
  return {
    async hit(key, limit, nowMs) {
      const [admitted, remaining, resetMs] = await command(
        `sb:rate-log:${key}`,
        nowMs,
        limit,
        WINDOW_MS,
        `${prefix}${hits++}`,
      );
      return { admitted: admitted === 1, remaining, resetMs };
    },
  };
}
