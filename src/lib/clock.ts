/** The time source services read, so tests can move time instead of waiting for it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export const minutesFrom = (date: Date, minutes: number) => new Date(date.getTime() + minutes * 60_000);
