import { setImmediate } from 'node:timers/promises';

/** Work waiting for a group: it is answered by `run`, or rejected with the error `run` throws. */
interface Settled {
  reject: (error: unknown) => void;
}

export interface GroupCommitOptions<Item extends Settled> {
  /** Groups one instance works on at once; items that arrive meanwhile wait for the next group. */
  concurrent: number;
  /** A group takes waiting items until their weight reaches this. */
  capacity: number;
  /** An item's weight (default 1): the rows it will write. */
  weight?: (item: Item) => number;
  /** Items with the same key never share a group: the later one waits for the next. */
  key?: (item: Item) => string;
  /** Works on a group, in arrival order, answering each item (a throw rejects every item of the group). */
  run: (group: Item[]) => Promise<void>;
}

/**
 * Group commit: work that arrives while this instance's transactions are busy waits and goes
 * together in the next one, in the order it arrived, so a hot row is locked once for many requests
 * instead of once each.
 */
export class GroupCommit<Item extends Settled> {
  readonly #waiting: Item[] = [];
  #running = 0;

  constructor(private readonly options: GroupCommitOptions<Item>) {}

  add(item: Item): void {
    this.#waiting.push(item);
    if (this.#running < this.options.concurrent) void this.#drain();
  }

  async #drain() {
    this.#running++;
    try {
      while (this.#waiting.length > 0) {
        // Let the requests already received reach the queue first: PGlite answers in microtasks, so
        // without a turn of the event loop a whole transaction runs before another request is read.
        await setImmediate();
        // Another group may have taken them all meanwhile.
        const group = this.#take();
        if (group.length === 0) continue;
        try {
          await this.options.run(group);
        } catch (error) {
          for (const item of group) item.reject(error);
        }
      }
    } finally {
      this.#running--;
    }
  }

  #take(): Item[] {
    const { capacity, weight = () => 1, key } = this.options;
    const group: Item[] = [];
    const keys = new Set<string>();
    let taken = 0;
    while (this.#waiting.length > 0 && (group.length === 0 || taken < capacity)) {
      const next = this.#waiting[0] as Item;
      if (key) {
        const itemKey = key(next);
        if (keys.has(itemKey)) break;
        keys.add(itemKey);
      }
      this.#waiting.shift();
      group.push(next);
      taken += weight(next);
    }
    return group;
  }
}
