import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAccount, v1 } from '../support/api-account.js';
import { ConsoleClient } from '../support/browser-client.js';
import { signInWithPhone, strongPassword } from '../support/journeys.js';
import { messagesTo } from '../support/outbox.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  server.clock.freeze();
});
afterAll(() => server.stop());

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** The date and time a person reads for `at` shifted by `offsetMinutes` from UTC: "3 December 2026, 14:18". */
function wallClock(at: Date, offsetMinutes: number) {
  const shifted = new Date(at.getTime() + offsetMinutes * 60_000);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${shifted.getUTCDate()} ${MONTHS[shifted.getUTCMonth()]} ${shifted.getUTCFullYear()}, ${two(shifted.getUTCHours())}:${two(shifted.getUTCMinutes())}`;
}

const textOf = async (email: string, subject: string) =>
  (await messagesTo(server, email)).find((message) => message.subject === subject)?.text ?? '';

describe('times in emails', () => {
  it('writes a new-device sign-in’s time for people, in UTC for an account without a time zone', async () => {
    const { email, phone } = await apiAccount(server);
    await signInWithPhone(server, email, phone, undefined, new ConsoleClient(server.url));
    const text = await textOf(email, 'New sign-in to your account');
    expect(text).toContain(`Time: ${wallClock(server.clock.now(), 0)} UTC\n`);
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:/);
  });

  it('writes a password change’s time in the account’s time zone, naming it', async () => {
    const account = await apiAccount(server);
    const set = await v1(server, account, 'POST', `/Account/${account.authId}/`, {
      body: { timezone: 'Asia/Kolkata' },
    });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    const changed = await account.client.post('/api/profile/password', {
      currentPassword: strongPassword,
      newPassword: 'Copper-Meadow-Signal-73',
    });
    expect(changed.status).toBe(204);
    const text = await textOf(account.email, 'Your password was changed');
    expect(text).toContain(
      `changed on ${wallClock(server.clock.now(), 330)} Asia/Kolkata (UTC+5:30) and every session`,
    );
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:/);
  });
});
