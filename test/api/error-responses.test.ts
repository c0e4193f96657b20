import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onboardedUser, setUpStaff, signInStaff } from '../support/journeys.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

/** Runs fn while the audit table is missing, so every request that touches it fails inside the server. */
async function withoutAuditTable<T>(fn: () => Promise<T>): Promise<T> {
  const db = server.system.database.db;
  await sql`ALTER TABLE audit_events RENAME TO audit_events_away`.execute(db);
  try {
    return await fn();
  } finally {
    await sql`ALTER TABLE audit_events_away RENAME TO audit_events`.execute(db);
  }
}

/** What a failing request must never show: the SQL, the table, the driver's words, a stack trace. */
function expectNothingInternal(body: string) {
  for (const leak of [
    /audit_events/i,
    /select|insert/i,
    /relation/i,
    /\bat .+:\d+:\d+/,
    /\.ts\b|\.js\b/,
    /stack/i,
  ])
    expect(body).not.toMatch(leak);
}

describe('error responses never include stack traces or SQL', () => {
  it('answers a failure inside a console request with a request id only, and writes nothing', async () => {
    const { client } = await onboardedUser(server);
    const failed = await withoutAuditTable(async () => {
      const rename = await client.patch('/api/profile', { name: 'Grace Hopper' });
      const signIns = await client.get('/api/security/sign-ins');
      return { rename, signIns };
    });
    for (const response of [failed.rename, failed.signIns]) {
      expect(response.status).toBe(500);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(response.body).toEqual({
        type: 'about:blank',
        status: 500,
        code: 'internal_error',
        title: 'Internal Server Error',
        detail: expect.stringMatching(
          /^Something went wrong on our side\. Quote request id \S+ to support\.$/,
        ),
      });
      expectNothingInternal(JSON.stringify(response.body));
    }
    expect((await client.get('/api/me')).body.user.name).toBe('Ada Lovelace');
    expect(
      server.logLines.some((line) => line.includes('request failed') && line.includes('audit_events')),
    ).toBe(true);
  });

  it('answers a failure inside a staff request the same way', async () => {
    const staff = await signInStaff(server, await setUpStaff(server));
    const response = await withoutAuditTable(() => staff.delete('/api/staff/session'));
    expect(response.status).toBe(500);
    expect(response.body.code).toBe('internal_error');
    expectNothingInternal(JSON.stringify(response.body));
  });
});
