import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDay } from '../../src/modules/billing/usage-summary.js';
import { SuspiciousActivityErrors } from '../../src/modules/suspicious-activity/errors.js';
import { apiAccount, v1 } from '../support/api-account.js';
import { ConsoleClient } from '../support/browser-client.js';
import { testDataRoot } from '../support/global-setup.js';
import { addAuthenticator, setUpStaff, signInStaff, signInWithApp } from '../support/journeys.js';
import { messagesTo } from '../support/outbox.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { addDailyUsage } from '../support/usage.js';

/**
 * Suspicious activity from the operator's rules: spend in a day above 10 times the 30-day average
 * (from 50.00 up), sign-ins from more than 3 countries in a day. By default a rule holds the account
 * for staff review (it keeps working; staff see it in the Flagged list and clear it or suspend);
 * with SUSPICIOUS_ACTION=suspend it is suspended for suspicious activity.
 */
const countryRanges = { GB: '100.65', DE: '100.66', FR: '100.67', JP: '100.68' } as const;
type Country = keyof typeof countryRanges;
const addressIn = (country: Country) =>
  `${countryRanges[country]}.${Math.floor(Math.random() * 250) + 1}.${Math.floor(Math.random() * 250) + 1}`;

function geofeed(): string {
  const dir = path.join(testDataRoot, `geofeed_${Math.random().toString(16).slice(2)}`);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'ip-countries.csv');
  writeFileSync(
    file,
    Object.entries(countryRanges)
      .map(([country, prefix]) => `${prefix}.0.0/16,${country}`)
      .join('\n'),
  );
  return file;
}

let server: TestServer;
let suspending: TestServer;
let staff: ConsoleClient;
beforeAll(async () => {
  // Sessions outlive the hours the tests move the clock by.
  const settings = {
    IP_COUNTRIES_FILE: geofeed(),
    SUSPICIOUS_SPEND_MIN: '50.00',
    SESSION_IDLE_MINUTES: '1440',
    SESSION_ABSOLUTE_HOURS: '720',
  };
  server = await startTestServer(settings);
  suspending = await startTestServer({ ...settings, SUSPICIOUS_ACTION: 'suspend' });
  staff = await signInStaff(server, await setUpStaff(server, 'agent'));
}, 120_000);
afterAll(async () => {
  await suspending?.stop();
  await server?.stop();
});

/** The hourly run as the jobs runner schedules it: a new period's run, after the clock moved. */
async function runRules(on: TestServer) {
  on.clock.advanceMinutes(60);
  await on.system.jobs.drain();
}

const dayMs = 86_400_000;
const units = (amount: number) => BigInt(Math.round(amount * 1_000_000));

/** An active account whose usage was `perDay` on each of the 30 days before today and `today` today. */
async function accountWithSpend(on: TestServer, spend: { perDay: number; today: number }) {
  const account = await apiAccount(on);
  const { timezone } = await on.system.database.db
    .selectFrom('accounts')
    .select('timezone')
    .where('id', '=', account.accountId)
    .executeTakeFirstOrThrow();
  const now = on.clock.now().getTime();
  const day = (back: number) => localDay(new Date(now - back * dayMs), timezone);
  await addDailyUsage(on.system.database.db, [
    ...Array.from({ length: 30 }, (_, index) => ({
      accountId: account.accountId,
      day: day(index + 1),
      product: 'sms' as const,
      events: 10,
      quantity: 10,
      amountMicros: units(spend.perDay),
    })),
    {
      accountId: account.accountId,
      day: day(0),
      product: 'sms' as const,
      events: 100,
      quantity: 100,
      amountMicros: units(spend.today),
    },
  ]);
  return account;
}

async function flagsOf(accountId: string, client = staff) {
  const answer = await client.get('/api/staff/suspicious-activity');
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return (answer.body.flags as { accountId: string; [field: string]: unknown }[]).filter(
    (flag) => flag.accountId === accountId,
  );
}

const flaggedEvents = (on: TestServer, accountId: string) =>
  on.system.database.db
    .selectFrom('audit_events')
    .select(['details', 'ip', 'user_agent'])
    .where('account_id', '=', accountId)
    .where('action', '=', 'account.suspicious_activity_flagged')
    .execute();

describe('spend in a day above 10 times the 30-day average', () => {
  it('holds a usage spike for staff review once: the account keeps working and nobody is emailed', async () => {
    const account = await accountWithSpend(server, { perDay: 1, today: 60 });
    await runRules(server);

    const flags = await flagsOf(account.accountId);
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({
      rule: 'spend_spike',
      accountStatus: 'active',
      authId: account.authId,
      resolvedAt: null,
      outcome: null,
    });
    expect(flags[0]?.summary).toMatch(/60\.00000 USD, above 10 times the 30-day average of 1\.00000 USD/);
    expect((await v1(server, account, 'GET', `/Account/${account.authId}/`)).status).toBe(200);
    expect((await messagesTo(server, account.email)).map((m) => m.subject)).not.toContainEqual(
      expect.stringMatching(/suspend|suspicious/i),
    );

    // The next runs find the same day: the rule has fired for it already.
    await runRules(server);
    await server.system.suspiciousActivity.review();
    expect(await flagsOf(account.accountId)).toHaveLength(1);
    const audited = await flaggedEvents(server, account.accountId);
    expect(audited).toHaveLength(1);
    expect(audited[0]?.details).toMatchObject({
      rule: 'spend_spike',
      action: 'review',
      dayMicros: '60000000',
    });
    expect(audited[0]?.user_agent).toBe('suspicious-activity-rules');
  });

  it('does not flag a normal day, nor a small day far above a tiny average', async () => {
    const busy = await accountWithSpend(server, { perDay: 10, today: 60 });
    const tiny = await accountWithSpend(server, { perDay: 0.01, today: 0.2 });
    await runRules(server);
    expect(await flagsOf(busy.accountId)).toEqual([]);
    expect(await flagsOf(tiny.accountId)).toEqual([]);
  });
});

describe('sign-ins from more than 3 countries in a day', () => {
  /** Signs in with the authenticator app (a later step each time: a code works once) from each country. */
  async function signInFrom(account: Awaited<ReturnType<typeof apiAccount>>, countries: Country[]) {
    const secret = await addAuthenticator(server, account.client, account.phone);
    for (const country of countries) {
      server.clock.advanceMinutes(1);
      await signInWithApp(server, account.email, secret, new ConsoleClient(server.url, addressIn(country)));
    }
  }

  it('flags sign-ins from 4 countries, and not from 3', async () => {
    const roaming = await apiAccount(server);
    await signInFrom(roaming, ['GB', 'DE', 'FR', 'JP', 'GB']);
    const travelling = await apiAccount(server);
    await signInFrom(travelling, ['GB', 'DE', 'FR']);
    await runRules(server);

    const flags = await flagsOf(roaming.accountId);
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({ rule: 'sign_in_countries', accountStatus: 'active' });
    expect(flags[0]?.summary).toContain('Sign-ins from 4 countries');
    expect(flags[0]?.summary).toContain('(DE, FR, GB, JP), more than 3');
    expect(await flagsOf(travelling.accountId)).toEqual([]);
  });
});

describe("staff's Flagged list", () => {
  it('lets staff clear a flag with a note (audited), once', async () => {
    const account = await accountWithSpend(server, { perDay: 2, today: 100 });
    await runRules(server);
    const [flag] = await flagsOf(account.accountId);
    expect(flag).toBeDefined();

    const noNote = await staff.post(`/api/staff/suspicious-activity/${flag?.id}/clear`, { note: '  ' });
    expect([noNote.status, noNote.body.code]).toEqual([400, SuspiciousActivityErrors.noteRequired]);
    const cleared = await staff.post(`/api/staff/suspicious-activity/${flag?.id}/clear`, {
      note: 'A planned campaign: the customer told support on Friday.',
    });
    expect(cleared.status, JSON.stringify(cleared.body)).toBe(204);
    const [after] = await flagsOf(account.accountId);
    expect(after).toMatchObject({
      outcome: 'cleared',
      note: 'A planned campaign: the customer told support on Friday.',
    });
    expect(after?.resolvedBy).toMatch(/^staff:/);
    const again = await staff.post(`/api/staff/suspicious-activity/${flag?.id}/clear`, { note: 'again' });
    expect([again.status, again.body.code]).toEqual([409, SuspiciousActivityErrors.flagResolved]);
    const unknown = await staff.post(
      '/api/staff/suspicious-activity/00000000-0000-4000-8000-000000000000/clear',
      { note: 'x' },
    );
    expect([unknown.status, unknown.body.code]).toEqual([404, SuspiciousActivityErrors.flagNotFound]);
    const audit = await server.system.database.db
      .selectFrom('audit_events')
      .select(['staff_id'])
      .where('account_id', '=', account.accountId)
      .where('action', '=', 'account.suspicious_activity_cleared')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]?.staff_id).not.toBeNull();
  });

  it('resolves a flag when staff suspend the account for suspicious activity', async () => {
    const account = await accountWithSpend(server, { perDay: 1, today: 80 });
    await runRules(server);
    expect(await flagsOf(account.accountId)).toHaveLength(1);
    const suspended = await staff.post(`/api/staff/accounts/${account.accountId}/suspend`, {
      reason: 'suspicious_activity',
      details: 'Spend 80 times the usual on one day: confirm it was you.',
    });
    expect(suspended.status, JSON.stringify(suspended.body)).toBe(200);
    const [flag] = await flagsOf(account.accountId);
    expect(flag).toMatchObject({ outcome: 'suspended', resolvedBy: 'staff', accountStatus: 'suspended' });
  });

  it('is for staff only: a customer session is refused', async () => {
    const account = await apiAccount(server);
    expect((await account.client.get('/api/staff/suspicious-activity')).status).toBe(401);
  });
});

describe('SUSPICIOUS_ACTION=suspend', () => {
  it('suspends the account for suspicious activity: /v1 answers 403 with the reason, the notice is emailed', async () => {
    const account = await accountWithSpend(suspending, { perDay: 1, today: 75 });
    // Yesterday was a spike too: the run suspends once, and the second rule finds nothing to hold.
    const { timezone } = await suspending.system.database.db
      .selectFrom('accounts')
      .select('timezone')
      .where('id', '=', account.accountId)
      .executeTakeFirstOrThrow();
    await addDailyUsage(suspending.system.database.db, [
      {
        accountId: account.accountId,
        day: localDay(new Date(suspending.clock.now().getTime() - dayMs), timezone),
        product: 'voice',
        events: 5,
        quantity: 300,
        amountMicros: units(70),
      },
    ]);
    await runRules(suspending);
    const runs = await suspending.system.database.db
      .selectFrom('jobs')
      .select(['state', 'last_error'])
      .where('name', '=', 'accounts.suspicious-activity-review')
      .execute();
    expect(runs.length).toBeGreaterThan(0);
    expect(runs.filter((run) => run.state !== 'completed' || run.last_error !== null)).toEqual([]);

    const refused = await v1(suspending, account, 'GET', `/Account/${account.authId}/`);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatch(/suspended: Suspicious activity/);
    const notice = (await messagesTo(suspending, account.email)).find((m) =>
      m.subject.startsWith('Your account is suspended'),
    );
    expect(notice?.subject).toBe('Your account is suspended: Suspicious activity');
    expect(notice?.text).toMatch(/(75|71)\.00000 USD/);
    const suspensions = await suspending.system.suspensions.history(account.accountId);
    expect(suspensions).toHaveLength(1);
    expect(suspensions[0]).toMatchObject({ reason: 'suspicious_activity', suspendedBy: 'system' });
    expect(await flaggedEvents(suspending, account.accountId)).toHaveLength(1);
    const flag = await suspending.system.database.db
      .selectFrom('suspicious_activity_flags')
      .select(['outcome', 'resolved_by'])
      .where('account_id', '=', account.accountId)
      .executeTakeFirstOrThrow();
    expect(flag).toEqual({ outcome: 'suspended', resolved_by: 'system' });
  });
});
