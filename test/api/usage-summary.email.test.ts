import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAccount, v1 } from '../support/api-account.js';
import { messagesTo } from '../support/outbox.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { invitedMember } from '../support/team.js';
import { addDailyUsage } from '../support/usage.js';

/**
 * The daily usage summary email: once the account's local time passes 06:00, yesterday's usage by
 * product goes once per account and day to the members who asked for it and may read usage.
 */
let server: TestServer;
let owner: Awaited<ReturnType<typeof apiAccount>>;
let elsewhere: Awaited<ReturnType<typeof apiAccount>>;
let members: Record<'admin' | 'analyst' | 'support', Awaited<ReturnType<typeof invitedMember>>>;
/** A UTC midnight two days ahead: the day the clock is frozen on. */
let day0: number;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const summariesTo = async (email: string) =>
  (await messagesTo(server, email)).filter((message) => message.subject.startsWith('Usage summary'));

beforeAll(async () => {
  server = await startTestServer();
  owner = await apiAccount(server);
  elsewhere = await apiAccount(server);
  members = {
    admin: await invitedMember(server, owner.client, 'admin'),
    analyst: await invitedMember(server, owner.client, 'financial_analyst'),
    support: await invitedMember(server, owner.client, 'support'),
  };
  // Kolkata is UTC+5:30: its 06:00 is 00:30 UTC.
  const zone = await v1(server, owner, 'POST', `/Account/${owner.authId}/`, {
    body: { timezone: 'Asia/Kolkata' },
  });
  expect(zone.status).toBe(200);
  for (const client of [owner.client, members.analyst.client, members.support.client, elsewhere.client]) {
    const optedIn = await client.put('/api/billing/usage/email', { enabled: true });
    expect([optedIn.status, optedIn.body]).toEqual([200, { enabled: true }]);
  }
  expect((await members.analyst.client.get('/api/billing/usage/email')).body).toEqual({ enabled: true });
  expect((await members.admin.client.get('/api/billing/usage/email')).body).toEqual({ enabled: false });
  // Support asked for it, then became a Developer, who may not read usage.
  const demoted = await owner.client.put(`/api/team/members/${members.support.userId}/role`, {
    role: 'developer',
  });
  expect(demoted.status, JSON.stringify(demoted.body)).toBe(204);

  day0 = Date.parse(`${isoDay(Date.now() + 2 * 86_400_000)}T00:00:00Z`);
  await addDailyUsage(server.system.database.db, [
    {
      accountId: owner.accountId,
      day: isoDay(day0 - 86_400_000),
      product: 'sms',
      events: 3,
      quantity: 3,
      amountMicros: 120_000n,
    },
    {
      accountId: owner.accountId,
      day: isoDay(day0 - 86_400_000),
      product: 'voice',
      events: 2,
      quantity: 125,
      amountMicros: 25_500n,
    },
    {
      accountId: owner.accountId,
      day: isoDay(day0 - 2 * 86_400_000),
      product: 'sms',
      events: 50,
      quantity: 50,
      amountMicros: 2_000_000n,
    },
  ]);
}, 120_000);
afterAll(() => server.stop());

describe('the daily usage summary email', () => {
  it('waits for 06:00 in the account’s time zone, then mails yesterday’s usage by product to those who asked', async () => {
    server.clock.freeze(day0 + 20 * 60_000); // 05:50 in Kolkata
    await server.system.jobs.drain();
    expect(await summariesTo(owner.email)).toEqual([]);

    // The job runs hourly (on the UTC hour): the next run, 01:00 UTC, is 06:30 in Kolkata.
    server.clock.advanceMinutes(50); // 06:40 in Kolkata, 01:10 UTC
    await server.system.jobs.drain();
    const [mailed] = await summariesTo(owner.email);
    const yesterday = isoDay(day0 - 86_400_000);
    expect(mailed?.subject).toMatch(new RegExp(`^Usage summary for .+, ${yesterday}$`));
    expect(mailed?.text).toContain(`on ${yesterday} (Asia/Kolkata)`);
    expect(mailed?.text).toContain('Voice: 2 events, 125 seconds, $0.0255');
    expect(mailed?.text).toContain('SMS: 3 events, 3 segments, $0.12');
    expect(mailed?.text).toContain('Numbers: 0 events, 0 number-months, $0.00');
    expect(mailed?.text).toContain('Total: $0.1455');
    expect(await summariesTo(members.analyst.email)).toHaveLength(1);
    expect(await summariesTo(members.admin.email)).toEqual([]); // did not ask
    expect(await summariesTo(members.support.email)).toEqual([]); // a Developer now
    expect(await summariesTo(elsewhere.email)).toEqual([]); // 01:10 in UTC: not yet
  });

  it('sends it once per account and day, however many runs and instances get there', async () => {
    await Promise.all([
      server.system.usageSummary.sendDueSummaries(),
      server.system.usageSummary.sendDueSummaries(),
      server.system.jobs.drain(),
    ]);
    server.clock.advanceMinutes(60);
    await server.system.jobs.drain();
    expect(await summariesTo(owner.email)).toHaveLength(1);
    expect(await summariesTo(members.analyst.email)).toHaveLength(1);
  });

  it('mails each account in its own time zone, and the next day’s summary the next day', async () => {
    server.clock.advanceMinutes(5 * 60); // 07:10 UTC
    await server.system.jobs.drain();
    const [theirs] = await summariesTo(elsewhere.email);
    expect(theirs?.subject).toContain(isoDay(day0 - 86_400_000));
    expect(theirs?.text).toContain('Total: $0.00');

    server.clock.advanceMinutes(24 * 60);
    await server.system.jobs.drain();
    const owners = await summariesTo(owner.email);
    expect(owners).toHaveLength(2);
    expect(owners[0]?.subject).toContain(isoDay(day0));
    expect(await summariesTo(elsewhere.email)).toHaveLength(2);
  });

  it('stops once the member turns it off', async () => {
    server.clock.unfreeze();
    const row = await server.system.database.db
      .selectFrom('memberships')
      .select('usage_summary_email')
      .where('user_id', '=', members.analyst.userId)
      .executeTakeFirstOrThrow();
    expect(row.usage_summary_email).toBe(true);
    await server.system.usageSummary.setEmailSetting(
      { ip: 'test', userAgent: null, userId: members.analyst.userId },
      owner.accountId,
      false,
    );
    expect(await server.system.usageSummary.store.recipients(owner.accountId, ['financial_analyst'])).toEqual(
      [],
    );
    const owners = await server.system.usageSummary.store.recipients(owner.accountId, [
      'owner',
      'financial_analyst',
    ]);
    expect(owners.map((r) => r.email)).toEqual([owner.email]);
  });
});
