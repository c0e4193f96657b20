import { hash } from '@node-rs/argon2';
import { describe, expect, it } from 'vitest';
import { hashPassword, needsRehash, verifyPassword } from './passwords.js';

const password = 'Violet-Harbor-Lantern-42';

describe('password hashes', () => {
  it('hashes with argon2id at 19 MiB and 2 passes, and keeps such a hash', async () => {
    const current = await hashPassword(password);
    expect(current).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(needsRehash(current)).toBe(false);
    expect(await verifyPassword(current, password)).toBe(true);
  });

  it('upgrades a hash of another argon2 variant', async () => {
    expect(needsRehash(await hash(password, { algorithm: 1, memoryCost: 19_456, timeCost: 2 }))).toBe(true);
    expect(needsRehash(await hash(password, { algorithm: 0, memoryCost: 19_456, timeCost: 2 }))).toBe(true);
  });

  it('upgrades an argon2id hash made with weaker or other parameters', async () => {
    expect(needsRehash(await hash(password, { algorithm: 2, memoryCost: 4096, timeCost: 2 }))).toBe(true);
    expect(needsRehash(await hash(password, { algorithm: 2, memoryCost: 19_456, timeCost: 1 }))).toBe(true);
    expect(
      needsRehash(await hash(password, { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 2 })),
    ).toBe(true);
    expect(
      needsRehash(await hash(password, { algorithm: 2, version: 0, memoryCost: 19_456, timeCost: 2 })),
    ).toBe(true);
  });

  it('upgrades what it cannot read as an argon2 hash', () => {
    expect(needsRehash('$2b$10$abcdefghijklmnopqrstuv')).toBe(true);
  });
});
