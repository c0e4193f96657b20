import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryRateCounter, type RateCounter, redisRateCounter, WINDOW_MS } from './rate-counter.js';

/** Request times in bursts and lulls, in whole milliseconds, in order. */
function trafficTimes(seed: number, count: number): number[] {
  let state = seed;
  const random = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
  const times: number[] = [];
  let at = 1_800_000_000_000;
  for (let i = 0; i < count; i++) {
    at += random() < 0.1 ? Math.floor(random() * 1500) : Math.floor(random() * 40);
    times.push(at);
  }
  return times;
}

/**
 * The rule the counter keeps, checked against a straightforward count: a request is admitted
 * exactly when fewer than `limit` admissions fall in the window before it, so no one-second
 * interval admits more than the limit and none admits fewer than a client asked for up to it.
 */
async function checkAgainstTheRule(counter: RateCounter, key: string, limit: number, times: number[]) {
  const admittedAt: number[] = [];
  for (const at of times) {
    const decision = await counter.hit(key, limit, at);
    const inWindow = admittedAt.filter((t) => t > at - WINDOW_MS);
    expect(decision.admitted, `at ${at}`).toBe(inWindow.length < limit);
    if (decision.admitted) {
      admittedAt.push(at);
      expect(decision.remaining).toBe(limit - inWindow.length - 1);
      expect(decision.resetMs).toBe((inWindow[0] ?? at) + WINDOW_MS - at);
    } else {
      expect(decision.remaining).toBe(0);
      expect(decision.resetMs).toBe((inWindow[0] as number) + WINDOW_MS - at);
    }
  }
  for (const at of admittedAt) {
    expect(admittedAt.filter((t) => t >= at && t < at + WINDOW_MS).length).toBeLessThanOrEqual(limit);
  }
  return admittedAt.length;
}

describe('the in-memory sliding-window counter', () => {
  it('admits exactly what the rule admits, for small and large limits', async () => {
    const counter = memoryRateCounter();
    for (const limit of [1, 3, 20, 100]) {
      const admitted = await checkAgainstTheRule(counter, `key-${limit}`, limit, trafficTimes(limit, 1500));
      expect(admitted).toBeGreaterThan(0);
    }
  });

  it('keeps the most recent admissions when the limit is lowered or raised', async () => {
    const counter = memoryRateCounter();
    const at = 1_800_000_000_000;
    for (let i = 0; i < 50; i++)
      expect((counter.hit('k', 50, at + i) as { admitted: boolean }).admitted).toBe(true);
    expect(counter.hit('k', 20, at + 60)).toMatchObject({ admitted: false, remaining: 0 });
    expect(counter.hit('k', 100, at + 61)).toMatchObject({ admitted: true, remaining: 49 });
  });
});

const redisUrl = process.env.TEST_REDIS_URL;
if (!redisUrl)
  console.warn('rate-counter: the Redis counter is not checked; set TEST_REDIS_URL to check it.');

describe.runIf(Boolean(redisUrl))('the Redis sliding-window counter', () => {
  const redis = redisUrl ? new Redis(redisUrl) : undefined;
  afterAll(() => redis?.disconnect());

  it('admits exactly what the rule admits, shared by two instances', async () => {
    const [first, second] = [redisRateCounter(redis as Redis), redisRateCounter(redis as Redis)];
    const key = `test-${process.pid}-${Date.now()}`;
    let turn = 0;
    const alternating: RateCounter = {
      hit: (k, limit, at) => (turn++ % 2 ? first : second).hit(k, limit, at),
    };
    await checkAgainstTheRule(alternating, key, 20, trafficTimes(7, 600));
  });
});
