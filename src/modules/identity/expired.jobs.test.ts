import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/support/database.js';
import type { DatabaseHandle } from '../../db/database.js';
import { sweepExpiredJob } from './expired.jobs.js';

let database: DatabaseHandle;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000);

async function flow(expiresAt: Date) {
  const id = randomUUID();
  await database.db
    .insertInto('flows')
    .values({ id, purpose: 'password_reset', data: '{}', expires_at: expiresAt })
    .execute();
  return id;
}

async function session(expiresAt: Date, revokedAt: Date | null = null) {
  const id = randomUUID();
  await database.db
    .insertInto('sessions')
    .values({
      id,
      token_digest: randomUUID(),
      principal: 'user',
      stage: 'full',
      last_seen_at: daysAgo(0),
      expires_at: expiresAt,
      revoked_at: revokedAt,
    })
    .execute();
  return id;
}

describe('the sweep of expired flows and sessions', () => {
  it('deletes flows a week past their expiry and sessions a day after they ended, and keeps the rest', async () => {
    const oldFlow = await flow(daysAgo(8));
    const recentlyExpiredFlow = await flow(daysAgo(2));
    const liveFlow = await flow(daysAgo(-1));
    const oldSession = await session(daysAgo(2));
    const signedOutSession = await session(daysAgo(-1), daysAgo(2));
    const justEndedSession = await session(daysAgo(0.5));
    const liveSession = await session(daysAgo(-0.5));

    await sweepExpiredJob(database.db).handle({}, { id: '1', attempt: 1 });

    const flows = await database.db.selectFrom('flows').select('id').execute();
    expect(flows.map((row) => row.id).sort()).toEqual([recentlyExpiredFlow, liveFlow].sort());
    expect(flows.map((row) => row.id)).not.toContain(oldFlow);
    const sessions = await database.db.selectFrom('sessions').select('id').execute();
    expect(sessions.map((row) => row.id).sort()).toEqual([justEndedSession, liveSession].sort());
    expect(sessions.map((row) => row.id)).not.toContain(oldSession);
    expect(sessions.map((row) => row.id)).not.toContain(signedOutSession);
  });
});
