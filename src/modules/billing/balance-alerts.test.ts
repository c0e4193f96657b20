import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, testTarget } from '../../../test/support/database.js';
import type { DatabaseHandle } from '../../db/database.js';
import type { Role } from '../../db/schema.js';
import { EventBus } from '../../events/bus.js';
import { Jobs } from '../../jobs/runner.js';
import { systemClock } from '../../lib/clock.js';
import { newAuthId, newId } from '../../lib/ids.js';
import { money } from '../../lib/money.js';
import { SecretBox } from '../../lib/secrets.js';
import { deliverMessageJob } from '../../notify/outbox.jobs.js';
import { Outbox } from '../../notify/outbox.js';
import { AuditLog } from '../audit/audit.js';
import { balanceAlertWebhookJob } from './balance-alerts.job.js';
import { ALERT_WEBHOOK_JOB, BalanceAlerts } from './balance-alerts.js';
import { Ledger, type LedgerEntryDraft } from './ledger.js';

const units = (n: number) => BigInt(Math.round(n * 100)) * 10_000n;

let handle: DatabaseHandle;
let ledger: Ledger;
let alerts: BalanceAlerts;
let secrets: SecretBox;
let outbox: Outbox;
const actor = { ip: '127.0.0.1', userAgent: null };

beforeAll(async () => {
  handle = await createTestDatabase();
  secrets = new SecretBox(randomBytes(32).toString('hex'));
  const jobs = new Jobs({ db: handle.db, clock: systemClock, log: pino({ level: 'silent' }) });
  outbox = new Outbox(handle.db, secrets, jobs);
  const events = new EventBus(jobs);
  alerts = new BalanceAlerts({
    db: handle.db,
    clock: systemClock,
    secrets,
    outbox,
    jobs,
    audit: new AuditLog(handle.db),
    defaultThresholdsMicros: [units(250), units(100), units(10)],
    policy: { allowLoopback: true, allowPrivate: false },
  });
  jobs.register(balanceAlertWebhookJob(alerts));
  // The runner is never started here: messages stay in the outbox, where the tests read them.
  jobs.register(
    deliverMessageJob({
      db: handle.db,
      secrets,
      drivers: {} as never,
      log: pino({ level: 'silent' }),
      retentionDays: 7,
    }),
  );
  events.duringTransaction('ledger.balances_changed', (event) => alerts.onBalancesChanged(event));
  ledger = new Ledger(handle.db, events);
});
afterAll(() => handle.close());

async function member(accountId: string, role: Role) {
  const id = newId();
  const email = `${role}-${randomBytes(4).toString('hex')}@acme-telecom.com`;
  await handle.db.insertInto('users').values({ id, email, name: role, password_hash: 'x' }).execute();
  await handle.db.insertInto('memberships').values({ account_id: accountId, user_id: id, role }).execute();
  return email;
}

/** A main account with a member of every role, and the given balance. */
async function account(balance: number) {
  const id = newId();
  await handle.db
    .insertInto('accounts')
    .values({
      id,
      auth_id: newAuthId('MA'),
      name: 'Acme',
      signup_ip: null,
      status: 'active',
      currency: 'USD',
    })
    .execute();
  const emails = {
    owner: await member(id, 'owner'),
    admin: await member(id, 'admin'),
    analyst: await member(id, 'financial_analyst'),
    developer: await member(id, 'developer'),
    support: await member(id, 'support'),
  };
  if (balance !== 0) await ledger.post([entry(id, units(balance))]);
  return { id, emails };
}

const entry = (
  accountId: string,
  micros: bigint,
  more: Partial<LedgerEntryDraft> = {},
): LedgerEntryDraft => ({
  accountId,
  subaccountId: null,
  kind: micros >= 0n ? 'adjustment' : 'charge',
  amount: money(micros, 'USD'),
  idempotencyKey: newId(),
  causedBy: 'system',
  ...more,
});

/** The balance alerts sent to an address, oldest first (subjects and texts). */
async function alertsTo(email: string) {
  const rows = await handle.db
    .selectFrom('outbox_messages')
    .select(['subject', 'body_encrypted'])
    .where('recipient', '=', email)
    .where('subject', 'like', 'Balance alert%')
    .orderBy('id')
    .execute();
  return rows.map((row) => ({ subject: row.subject, text: secrets.decrypt(row.body_encrypted) }));
}

describe(`balance alerts on ${testTarget}`, () => {
  it('alerts once per downward crossing, to the billing members only', async () => {
    const { id, emails } = await account(300);
    await ledger.post([entry(id, -units(60))]); // 300 → 240: below 250
    await ledger.post([entry(id, -units(10))]); // 240 → 230: still below, no new crossing
    for (const email of [emails.owner, emails.admin, emails.analyst]) {
      const sent = await alertsTo(email);
      expect(sent.map((m) => m.subject)).toEqual(['Balance alert: Acme is below $250.00']);
      expect(sent[0]?.text).toContain('dropped below $250.00');
      expect(sent[0]?.text).toContain('It is now $240.00.');
    }
    expect(await alertsTo(emails.developer)).toEqual([]);
    expect(await alertsTo(emails.support)).toEqual([]);
  });

  it('names every threshold one debit crosses, in one alert', async () => {
    const { id, emails } = await account(300);
    await ledger.post([entry(id, -units(295.5))]); // 300 → 4.50: below 250, 100 and 10
    const sent = await alertsTo(emails.owner);
    expect(sent.map((m) => m.subject)).toEqual(['Balance alert: Acme is below $10.00']);
    expect(sent[0]?.text).toContain('dropped below $250.00, $100.00 and $10.00');
    expect(sent[0]?.text).toContain('It is now $4.50.');
  });

  it('re-arms a threshold once a credit takes the balance back above it', async () => {
    const { id, emails } = await account(120);
    await ledger.post([entry(id, -units(30))]); // 120 → 90: below 100
    await ledger.post([entry(id, units(60))]); // 90 → 150: re-armed, no alert
    await ledger.post([entry(id, -units(55))]); // 150 → 95: below 100 again
    await ledger.post([entry(id, -units(1))]); // 95 → 94: nothing
    const subjects = (await alertsTo(emails.analyst)).map((m) => m.subject);
    expect(subjects).toEqual([
      'Balance alert: Acme is below $100.00',
      'Balance alert: Acme is below $100.00',
    ]);
  });

  it("alerts at the account's own thresholds and copies its extra addresses, each address once", async () => {
    const { id, emails } = await account(700);
    await alerts.save(actor, id, {
      customThresholds: ['500', '42.50'],
      emails: ['ops@acme-telecom.com', emails.owner.toUpperCase()],
      webhookUrl: null,
    });
    await ledger.post([entry(id, -units(250))]); // 700 → 450: below 500
    await ledger.post([entry(id, -units(410))]); // 450 → 40: below 250, 100 and 42.50
    expect((await alertsTo('ops@acme-telecom.com')).map((m) => m.subject)).toEqual([
      'Balance alert: Acme is below $500.00',
      'Balance alert: Acme is below $42.50',
    ]);
    expect(await alertsTo(emails.owner)).toHaveLength(2);
    expect((await alertsTo('ops@acme-telecom.com'))[1]?.text).toContain(
      'dropped below $250.00, $100.00 and $42.50',
    );
  });

  it("alerts the main account for its subaccount's charges; a subaccount has no alerts of its own", async () => {
    const { id, emails } = await account(105);
    const subaccountId = newId();
    await handle.db
      .insertInto('accounts')
      .values({
        id: subaccountId,
        auth_id: newAuthId('SA'),
        name: 'Acme EU',
        signup_ip: null,
        status: 'active',
        currency: 'USD',
        parent_account_id: id,
      })
      .execute();
    await ledger.post([entry(id, -units(10), { subaccountId })]); // the main account: 105 → 95
    expect((await alertsTo(emails.owner)).map((m) => m.subject)).toEqual([
      'Balance alert: Acme is below $100.00',
    ]);
    await expect(alerts.view(subaccountId)).rejects.toMatchObject({ status: 404 });
    await expect(
      alerts.save(actor, subaccountId, { customThresholds: ['5'], emails: [], webhookUrl: null }),
    ).rejects.toMatchObject({ status: 404 });
  });

  it('reads the database once for a posting of many accounts, writes their alerts together, and does nothing for a credit', async () => {
    const accounts = [];
    for (let i = 0; i < 40; i++) accounts.push(await account(i % 4 === 0 ? 101 : 500));
    const candidates = vi.spyOn(alerts.store, 'candidates');
    const targets = vi.spyOn(alerts.store, 'targets');
    const emailed = vi.spyOn(outbox, 'enqueueMany');
    try {
      await ledger.post(accounts.map((a) => entry(a.id, units(1))));
      expect(candidates).not.toHaveBeenCalled();
      // 102 → 99 for every fourth account (below 100), 501 → 498 (nothing) for the others.
      await ledger.post(accounts.map((a) => entry(a.id, -units(3))));
      expect(candidates).toHaveBeenCalledTimes(1);
      expect(candidates.mock.calls[0]?.[0]).toHaveLength(40);
      expect(targets).toHaveBeenCalledTimes(1);
      expect(targets.mock.calls[0]?.[0]).toHaveLength(10);
      // Ten accounts' alerts, three billing members each: written together.
      expect(emailed).toHaveBeenCalledTimes(1);
      expect(emailed.mock.calls[0]?.[0]).toHaveLength(30);
    } finally {
      candidates.mockRestore();
      targets.mockRestore();
      emailed.mockRestore();
    }
    for (const [i, a] of accounts.entries())
      expect(await alertsTo(a.emails.owner), `account ${i}`).toHaveLength(i % 4 === 0 ? 1 : 0);
  });

  it('enqueues the webhook delivery in the posting’s transaction, with the alert as its body', async () => {
    const { id } = await account(260);
    const saved = await alerts.save(actor, id, {
      customThresholds: [],
      emails: [],
      webhookUrl: 'http://127.0.0.1:9/balance',
    });
    expect(saved.webhookSecret).toMatch(/^whsec_/);
    await ledger.post([entry(id, -units(20))]); // 260 → 240
    const jobs = await handle.db
      .selectFrom('jobs')
      .select('payload')
      .where('name', '=', ALERT_WEBHOOK_JOB)
      .execute();
    const mine = jobs
      .map((job) => job.payload as { accountId: string; body: string })
      .filter((p) => p.accountId === id);
    expect(mine).toHaveLength(1);
    expect(JSON.parse(mine[0]?.body as string)).toMatchObject({
      type: 'balance.alert',
      currency: 'USD',
      thresholds: ['250.00000'],
      previous_balance: '260.00000',
      balance: '240.00000',
    });
  });

  it('refuses bad settings with the reason', async () => {
    const { id } = await account(0);
    const refused = (input: Parameters<BalanceAlerts['save']>[2]) => alerts.save(actor, id, input);
    const base = { customThresholds: [], emails: [], webhookUrl: null };
    await expect(refused({ ...base, customThresholds: ['1', '2', '3', '4'] })).rejects.toMatchObject({
      code: 'too_many_alert_thresholds',
    });
    await expect(refused({ ...base, customThresholds: ['-5'] })).rejects.toMatchObject({
      code: 'invalid_alert_threshold',
    });
    await expect(refused({ ...base, customThresholds: ['0'] })).rejects.toMatchObject({
      code: 'invalid_alert_threshold',
    });
    await expect(refused({ ...base, emails: ['not-an-address'] })).rejects.toMatchObject({
      code: 'invalid_alert_email',
    });
    await expect(
      refused({ ...base, emails: ['a@x.io', 'b@x.io', 'c@x.io', 'd@x.io', 'e@x.io', 'f@x.io'] }),
    ).rejects.toMatchObject({ code: 'too_many_alert_emails' });
    for (const url of [
      'ftp://example.com/x',
      'javascript:alert(1)',
      'http://10.0.0.5/hook',
      'http://169.254.169.254/',
    ]) {
      await expect(refused({ ...base, webhookUrl: url }), url).rejects.toMatchObject({
        code: 'invalid_alert_webhook_url',
      });
    }
  });
});
