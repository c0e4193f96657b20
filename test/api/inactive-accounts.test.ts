import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAccount, v1 } from '../support/api-account.js';
import { signInWithPhone } from '../support/journeys.js';
import { messagesTo } from '../support/outbox.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { savedTestCard } from '../support/test-gateway.js';

const WARN_DAYS = 30;
const REMOVE_DAYS = 10;
const DAY_MINUTES = 24 * 60;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({
    INACTIVE_WARN_DAYS: String(WARN_DAYS),
    INACTIVE_REMOVE_DAYS: String(REMOVE_DAYS),
  });
});
afterAll(async () => {
  await server?.stop();
});

/** An active account with a saved card that auto-recharge charges. */
async function accountWithCard() {
  const account = await apiAccount(server);
  const card = await savedTestCard(server, account.client);
  const saved = await account.client.put('/api/billing/auto-recharge', {
    enabled: true,
    paymentMethodId: card.id,
    threshold: '5',
    mode: 'fixed',
    amount: '20',
    dailyCap: '100',
    monthlyCap: '500',
  });
  expect(saved.status, JSON.stringify(saved.body)).toBe(200);
  return { ...account, card };
}

const storedMethods = (accountId: string) =>
  server.system.database.db
    .selectFrom('payment_methods')
    .select('id')
    .where('account_id', '=', accountId)
    .where('removed_at', 'is', null)
    .execute();

const autoRechargeOn = async (accountId: string) =>
  (await server.system.autoRecharge.settings(accountId))?.enabled ?? false;

/** The hourly review as the jobs runner schedules it: a new period's run, after the clock moved. */
const review = () => server.system.jobs.drain();

const policyEmails = async (email: string) =>
  (await messagesTo(server, email)).filter((m) => /inactive|payment methods removed/i.test(m.subject));

describe('inactive account policy (FAQ: "What is the inactive account policy?")', () => {
  it('shows the policy and its numbers on the Security page', async () => {
    const account = await apiAccount(server);
    const policy = await account.client.get('/api/security/inactivity-policy');
    expect(policy.status).toBe(200);
    expect(policy.body).toMatchObject({ warnDays: WARN_DAYS, removeDays: REMOVE_DAYS, warnedAt: null });
    expect(policy.body.lastActiveAt).not.toBeNull();
  });

  it('warns an idle account with a stored card, then removes its cards, turns auto-recharge off and flags it', async () => {
    const account = await accountWithCard();
    server.clock.advanceMinutes((WARN_DAYS - 1) * DAY_MINUTES);
    await review();
    expect(await policyEmails(account.email)).toHaveLength(0);

    server.clock.advanceMinutes(2 * DAY_MINUTES);
    await review();
    const warned = await policyEmails(account.email);
    expect(warned).toHaveLength(1);
    expect(warned[0]?.text).toContain(`${WARN_DAYS} days`);
    expect((await server.system.inactivity.status(account.accountId)).warnedAt).not.toBeNull();
    // A second run does not warn twice.
    await server.system.inactivity.review();
    expect(await policyEmails(account.email)).toHaveLength(1);
    expect(await storedMethods(account.accountId)).toHaveLength(1);

    server.clock.advanceMinutes((REMOVE_DAYS + 1) * DAY_MINUTES);
    await review();
    expect(await storedMethods(account.accountId)).toHaveLength(0);
    expect(await autoRechargeOn(account.accountId)).toBe(false);
    const status = await server.system.inactivity.status(account.accountId);
    expect(status.paymentMethodsRemovedAt).not.toBeNull();
    expect(await policyEmails(account.email)).toHaveLength(2);
    const audit = await server.system.database.db
      .selectFrom('audit_events')
      .select('action')
      .where('account_id', '=', account.accountId)
      .where('action', 'in', [
        'account.inactivity_warned',
        'account.inactivity_flagged',
        'billing.payment_method_removed',
      ])
      .execute();
    expect(audit.map((a) => a.action).sort()).toEqual([
      'account.inactivity_flagged',
      'account.inactivity_warned',
      'billing.payment_method_removed',
    ]);
  });

  it('starts the clock again on API use (counted at the request log’s flush), even after the warning', async () => {
    const account = await accountWithCard();
    server.clock.advanceMinutes((WARN_DAYS + 1) * DAY_MINUTES);
    await review();
    expect(await policyEmails(account.email)).toHaveLength(1);

    expect((await v1(server, account, 'GET', `/Account/${account.authId}/`)).status).toBe(200);
    await server.system.requestLog.flush();
    const status = await server.system.inactivity.status(account.accountId);
    expect(status.warnedAt).toBeNull();
    expect(status.lastActiveAt?.getTime()).toBeGreaterThan(server.clock.now().getTime() - 60_000);

    server.clock.advanceMinutes((REMOVE_DAYS + 1) * DAY_MINUTES);
    await review();
    expect(await storedMethods(account.accountId)).toHaveLength(1);
    expect(await autoRechargeOn(account.accountId)).toBe(true);
  });

  it('starts the clock again on sign-in', async () => {
    const account = await accountWithCard();
    server.clock.advanceMinutes((WARN_DAYS - 2) * DAY_MINUTES);
    await signInWithPhone(server, account.email, account.phone);
    server.clock.advanceMinutes(3 * DAY_MINUTES);
    await review();
    expect(await policyEmails(account.email)).toHaveLength(0);
    expect(await storedMethods(account.accountId)).toHaveLength(1);
  });

  it('leaves idle accounts without a stored payment method alone', async () => {
    const account = await apiAccount(server);
    server.clock.advanceMinutes((WARN_DAYS + REMOVE_DAYS + 2) * DAY_MINUTES);
    await review();
    await review();
    expect(await policyEmails(account.email)).toHaveLength(0);
  });
});
