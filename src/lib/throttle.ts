import type { Redis } from 'ioredis';
import {
  type IRateLimiterOptions,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible';
import { RateLimited } from './errors.js';

/** A named attempt budget: `points` attempts per `durationSeconds` per key, then refused. */
export interface ThrottleRule {
  name: string;
  points: number;
  durationSeconds: number;
  blockSeconds?: number;
  message: string;
}

export interface Throttle {
  /** Counts an attempt and answers how many are left; throws RateLimited when the key has used its budget. */
  consume(rule: ThrottleRule, key: string): Promise<{ remaining: number }>;
  /** Throws RateLimited if the key is over its budget, without counting an attempt. */
  check(rule: ThrottleRule, key: string): Promise<void>;
  reset(rule: ThrottleRule, key: string): Promise<void>;
}

/** Counters live in Redis when it is configured (shared by every instance), otherwise in this process. */
export function createThrottle(redis?: Redis): Throttle {
  const limiters = new Map<string, RateLimiterMemory | RateLimiterRedis>();
  const limiterFor = (rule: ThrottleRule) => {
    let limiter = limiters.get(rule.name);
    if (!limiter) {
      const options: IRateLimiterOptions = {
        keyPrefix: `sb:${rule.name}`,
        points: rule.points,
        duration: rule.durationSeconds,
        blockDuration: rule.blockSeconds ?? 0,
      };
      limiter = redis
        ? new RateLimiterRedis({ ...options, storeClient: redis })
        : new RateLimiterMemory(options);
      limiters.set(rule.name, limiter);
    }
    return limiter;
  };
  const refuse = (rule: ThrottleRule, res: RateLimiterRes) =>
    RateLimited(rule.message, Math.ceil(res.msBeforeNext / 1000));

  return {
    async consume(rule, key) {
      try {
        const res = await limiterFor(rule).consume(key);
        return { remaining: res.remainingPoints };
      } catch (error) {
        if (error instanceof RateLimiterRes) throw refuse(rule, error);
        throw error;
      }
    },
    async check(rule, key) {
      const limiter = limiterFor(rule);
      const res = await limiter.get(key);
      if (res && res.remainingPoints <= 0 && res.msBeforeNext > 0) throw refuse(rule, res);
    },
    async reset(rule, key) {
      await limiterFor(rule).delete(key);
    },
  };
}
