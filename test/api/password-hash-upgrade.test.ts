import { hash } from '@node-rs/argon2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleClient } from '../support/browser-client.js';
import {
  onboardedUser,
  setUpStaff,
  signInStaff,
  staffPassword,
  strongPassword,
  userIdOf,
} from '../support/journeys.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

const db = () => server.system.database.db;
const current = /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/;

const hashOfUser = async (id: string) =>
  (await db().selectFrom('users').select('password_hash').where('id', '=', id).executeTakeFirstOrThrow())
    .password_hash;

const signIn = async (email: string, password: string) =>
  (await new ConsoleClient(server.url).post('/api/session', { email, password })).status;

/** A user whose password was hashed with older settings, as an earlier release stored it. */
async function userWithOldHash(options: { algorithm: 0 | 1 | 2; memoryCost: number; timeCost: number }) {
  const { client, email } = await onboardedUser(server);
  const id = await userIdOf(client);
  const old = await hash(strongPassword, options);
  await db().updateTable('users').set({ password_hash: old }).where('id', '=', id).execute();
  return { id, email, old };
}

describe('password hashes are upgraded at the next sign-in', () => {
  it('replaces an argon2i hash with an argon2id one, and the password still works', async () => {
    const user = await userWithOldHash({ algorithm: 1, memoryCost: 19_456, timeCost: 2 });
    expect(await signIn(user.email, strongPassword)).toBe(200);
    const upgraded = await hashOfUser(user.id);
    expect(upgraded).toMatch(current);
    expect(await signIn(user.email, strongPassword)).toBe(200);
    expect(await hashOfUser(user.id)).toBe(upgraded);
  });

  it('replaces an argon2id hash made with weaker parameters', async () => {
    const user = await userWithOldHash({ algorithm: 2, memoryCost: 4096, timeCost: 1 });
    expect(await signIn(user.email, strongPassword)).toBe(200);
    expect(await hashOfUser(user.id)).toMatch(current);
  });

  it('keeps the old hash when the password is wrong', async () => {
    const user = await userWithOldHash({ algorithm: 2, memoryCost: 4096, timeCost: 1 });
    expect(await signIn(user.email, 'Wrong-Harbor-Lantern-41')).toBe(401);
    expect(await hashOfUser(user.id)).toBe(user.old);
  });

  it('upgrades a staff member’s hash at their next sign-in', async () => {
    const staff = await setUpStaff(server);
    await db()
      .updateTable('staff_members')
      .set({ password_hash: await hash(staffPassword, { algorithm: 1, memoryCost: 4096, timeCost: 1 }) })
      .where('id', '=', staff.id)
      .execute();
    await signInStaff(server, staff);
    const row = await db()
      .selectFrom('staff_members')
      .select('password_hash')
      .where('id', '=', staff.id)
      .executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(current);
  });
});
