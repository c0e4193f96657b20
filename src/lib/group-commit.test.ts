import { describe, expect, it } from 'vitest';
import { GroupCommit } from './group-commit.js';

interface Work {
  id: string;
  rows?: number;
  resolve: (group: number) => void;
  reject: (error: unknown) => void;
}

/** A group commit whose run records each group's ids and answers each item with its group's number. */
function recorder(options: { concurrent?: number; capacity?: number; fail?: (ids: string[]) => boolean }) {
  const groups: string[][] = [];
  const commit = new GroupCommit<Work>({
    concurrent: options.concurrent ?? 1,
    capacity: options.capacity ?? 100,
    weight: (work) => work.rows ?? 1,
    key: (work) => work.id,
    run: async (group) => {
      const ids = group.map((work) => work.id);
      groups.push(ids);
      if (options.fail?.(ids)) throw new Error(`group ${ids.join(',')} failed`);
      for (const work of group) work.resolve(groups.length);
    },
  });
  const add = (id: string, rows?: number) =>
    new Promise<number>((resolve, reject) => commit.add({ id, rows, resolve, reject }));
  return { groups, add };
}

describe('GroupCommit', () => {
  it('takes what arrives while a group runs into the next group, in arrival order', async () => {
    const { groups, add } = recorder({});
    const answers = await Promise.all(['a', 'b', 'c', 'd'].map((id) => add(id)));
    expect(groups).toEqual([['a', 'b', 'c', 'd']]);
    expect(answers).toEqual([1, 1, 1, 1]);
  });

  it('runs no empty group when another group took everything waiting', async () => {
    const { groups, add } = recorder({ concurrent: 2 });
    await Promise.all(['a', 'b', 'c'].map((id) => add(id)));
    // The second group's turn comes after the first answered everything.
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(groups).toEqual([['a', 'b', 'c']]);
  });

  it('never puts two items with the same key in one group', async () => {
    const { groups, add } = recorder({});
    await Promise.all([add('a'), add('b'), add('a'), add('c')]);
    expect(groups).toEqual([
      ['a', 'b'],
      ['a', 'c'],
    ]);
  });

  it('stops a group once its weight reaches the capacity, and always takes at least one item', async () => {
    const { groups, add } = recorder({ capacity: 5 });
    await Promise.all([add('big', 9), add('a', 2), add('b', 2), add('c', 2), add('d', 1)]);
    expect(groups).toEqual([['big'], ['a', 'b', 'c'], ['d']]);
  });

  it('rejects every item of a group whose run throws, and goes on with the next group', async () => {
    const { groups, add } = recorder({ capacity: 2, fail: (ids) => ids.includes('bad') });
    const outcomes = await Promise.allSettled([add('a'), add('bad'), add('c')]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
    expect(groups).toEqual([['a', 'bad'], ['c']]);
  });

  it('runs at most `concurrent` groups at once', async () => {
    let running = 0;
    let most = 0;
    const commit = new GroupCommit<Work>({
      concurrent: 2,
      capacity: 1,
      run: async (group) => {
        running++;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 5));
        running--;
        for (const work of group) work.resolve(0);
      },
    });
    await Promise.all(
      Array.from(
        { length: 6 },
        (_, i) => new Promise<number>((resolve, reject) => commit.add({ id: `${i}`, resolve, reject })),
      ),
    );
    expect(most).toBe(2);
  });
});
