import type { Redis } from 'ioredis';

/**
 * Counts requests per key in fixed one-second windows named by their second number, so the 21st
 * request within a second sees 21. In Redis the counters are shared by every instance.
 */
export interface RateCounter {
  /** The in-memory counter answers at once; Redis answers with a promise. */
  hit(key: string, second: number): number | Promise<number>;
}

export function memoryRateCounter(): RateCounter {
  let windowSecond = 0;
  let counts = new Map<string, number>();
  return {
    hit(key, second) {
      if (second !== windowSecond) {
        windowSecond = second;
        counts = new Map();
      }
      const count = (counts.get(key) ?? 0) + 1;
      counts.set(key, count);
      return count;
    },
  };
}

export function redisRateCounter(redis: Redis): RateCounter {
  return {
    async hit(key, second) {
      const redisKey = `sb:rate:${key}:${second}`;
      const results = await redis.multi().incr(redisKey).pexpire(redisKey, 2000).exec();
      return Number(results?.[0]?.[1] ?? 0);
    },
  };
}
