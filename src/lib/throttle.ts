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
  /** What the refused person reads; a function gets the seconds until they may try again. */
  message: string | ((retryAfterSeconds: number) => string);
}

/** "15 minutes", "2 hours", "40 seconds": how long a pause lasts, in words. */
export function durationInWords(seconds: number): string {
  if (seconds >= 5400) return `${Math.round(seconds / 3600)} hours`;
  if (seconds >= 90) return `${Math.round(seconds / 60)} minutes`;
  return `${seconds} seconds`;
}

/** An attempt taken from one or more budgets before the secret it guards is checked. */
export interface Attempt {
  /** How many attempts the key has left in a budget, this one taken. */
  left(rule: ThrottleRule): number;
  /** Gives the attempt back to every budget it was taken from (the secret was right, or never checked). */
  refund(): Promise<void>;
}

export interface Throttle {
  /** Counts an attempt and answers how many are left; throws RateLimited when the key has used its budget. */
  consume(rule: ThrottleRule, key: string): Promise<{ remaining: number }>;
  /**
   * Takes one attempt from each budget in turn (each an atomic increment that refuses beyond the
   * budget, in memory or in Redis) before a secret is checked, so concurrent guesses cannot outrun
   * a budget. Throws RateLimited when a budget is used up, after giving back what the ones before
   * it gave.
   */
  take(budgets: readonly (readonly [ThrottleRule, string])[]): Promise<Attempt>;
  /** Throws RateLimited if the key is over its budget, without counting an attempt. */
  check(rule: ThrottleRule, key: string): Promise<void>;
  reset(rule: ThrottleRule, key: string): Promise<void>;
  /** Refuses the key for the given time, whatever its count. */
  block(rule: ThrottleRule, key: string, seconds: number): Promise<void>;
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
  const refuse = (rule: ThrottleRule, res: RateLimiterRes) => {
    const seconds = Math.ceil(res.msBeforeNext / 1000);
    return RateLimited(typeof rule.message === 'string' ? rule.message : rule.message(seconds), seconds);
  };

  const consume = async (rule: ThrottleRule, key: string) => {
    try {
      const res = await limiterFor(rule).consume(key);
      return { remaining: res.remainingPoints };
    } catch (error) {
      if (error instanceof RateLimiterRes) throw refuse(rule, error);
      throw error;
    }
  };

  return {
    consume,
    async take(budgets) {
      const taken: { rule: ThrottleRule; key: string; remaining: number }[] = [];
      const refund = async () => {
        await Promise.all(taken.map(({ rule, key }) => limiterFor(rule).reward(key, 1)));
      };
      for (const [rule, key] of budgets) {
        try {
          taken.push({ rule, key, ...(await consume(rule, key)) });
        } catch (error) {
          await refund();
          throw error;
        }
      }
      return {
        left: (rule) => taken.find((budget) => budget.rule.name === rule.name)?.remaining ?? 0,
        refund,
      };
    },
    async check(rule, key) {
      const limiter = limiterFor(rule);
      const res = await limiter.get(key);
      if (res && res.remainingPoints <= 0 && res.msBeforeNext > 0) throw refuse(rule, res);
    },
    async reset(rule, key) {
      await limiterFor(rule).delete(key);
    },
    async block(rule, key, seconds) {
      await limiterFor(rule).block(key, seconds);
    },
  };
}
