import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleClient } from '../support/browser-client.js';
import { addAuthenticator, onboardedUser, setUpStaff, signInStaff, userIdOf } from '../support/journeys.js';
import { codeIn, lastMessageTo, linkIn } from '../support/outbox.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

const db = () => server.system.database.db;

/** Every stored column of the rows of a table, as one string, for "does it contain this" checks. */
async function tableText(table: 'users' | 'flows' | 'sessions' | 'recovery_codes' | 'staff_members') {
  return JSON.stringify(await db().selectFrom(table).selectAll().execute(), (_key, value) =>
    typeof value === 'bigint' ? String(value) : value,
  );
}

describe('the email and SMS outbox is encrypted at rest', () => {
  it('stores a reset email without its link in plain text, and it decrypts to the email sent', async () => {
    const { email } = await onboardedUser(server);
    await new ConsoleClient(server.url).post('/api/password-reset', { email });
    const token = linkIn((await lastMessageTo(server, email)).text);
    const row = await db()
      .selectFrom('outbox_messages')
      .selectAll()
      .where('recipient', '=', email)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(row.body_encrypted).not.toContain(token);
    expect(row.body_encrypted).not.toMatch(/reset/i);
    expect(row.subject).not.toContain(token);
    expect(server.system.secrets.decrypt(row.body_encrypted)).toContain(token);
  });

  it('stores an SMS code encrypted', async () => {
    const { client, phone } = await onboardedUser(server);
    await client.post('/api/security/phone-code', { channel: 'sms' });
    const code = codeIn((await lastMessageTo(server, phone)).text);
    const row = await db()
      .selectFrom('outbox_messages')
      .selectAll()
      .where('recipient', '=', phone)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(row.body_encrypted).not.toContain(code);
    expect(server.system.secrets.decrypt(row.body_encrypted)).toContain(code);
  });
});

describe('secrets are encrypted or hashed in the database', () => {
  it('keeps the TOTP secret encrypted, for users and staff', async () => {
    const { client, phone } = await onboardedUser(server);
    const secret = await addAuthenticator(server, client, phone);
    const userId = await userIdOf(client);
    const user = await db()
      .selectFrom('users')
      .select('totp_secret_encrypted')
      .where('id', '=', userId)
      .executeTakeFirstOrThrow();
    expect(user.totp_secret_encrypted).toBeTruthy();
    expect(server.system.secrets.decrypt(user.totp_secret_encrypted as string)).toBe(secret);
    const staff = await setUpStaff(server);
    for (const table of ['users', 'flows', 'staff_members'] as const) {
      const text = await tableText(table);
      expect(text, table).not.toContain(secret);
      expect(text, table).not.toContain(staff.secret);
    }
  });

  it('keeps recovery codes only as digests', async () => {
    const { client } = await onboardedUser(server);
    const codes = (await client.post('/api/security/recovery-codes')).body.codes as string[];
    const text = await tableText('recovery_codes');
    for (const code of codes) expect(text).not.toContain(code);
  });

  it('keeps link tokens, codes and session tokens only as digests', async () => {
    const { client, email, phone } = await onboardedUser(server);
    await new ConsoleClient(server.url).post('/api/password-reset', { email });
    const token = linkIn((await lastMessageTo(server, email)).text);
    await client.post('/api/security/phone-code', { channel: 'sms' });
    const code = codeIn((await lastMessageTo(server, phone)).text);
    const flows = await tableText('flows');
    expect(flows).not.toContain(token);
    expect(flows).not.toContain(`"${code}"`);
    expect(await tableText('sessions')).not.toContain(client.cookies.get('sb_session') as string);
  });

  it("keeps no CSRF token, yet a session's token works and another session's is refused", async () => {
    const { client } = await onboardedUser(server);
    const other = await onboardedUser(server);
    const staff = await signInStaff(server, await setUpStaff(server));
    const sessions = await tableText('sessions');
    for (const token of [client.csrfToken, other.client.csrfToken, staff.csrfToken]) {
      expect(token.length).toBeGreaterThanOrEqual(20);
      expect(sessions).not.toContain(token);
    }
    const ownToken = await client.patch('/api/profile', { name: 'Grace Hopper' });
    expect(ownToken.status).toBe(204);
    client.csrfToken = other.client.csrfToken;
    const othersToken = await client.patch('/api/profile', { name: 'Mallory' });
    expect(othersToken.status).toBe(403);
    expect(othersToken.body.code).toBe('csrf_token_invalid');
    expect((await client.get('/api/me')).body.user.name).toBe('Grace Hopper');
  });
});
