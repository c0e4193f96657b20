import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../src/events/catalog.js';
import { money } from '../../src/lib/money.js';
import { PaymentErrors } from '../../src/modules/billing/errors.js';
import { apiAccount } from '../support/api-account.js';
import { messagesTo } from '../support/outbox.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { savedTestCard } from '../support/test-gateway.js';

/**
 * Auto-recharge (Billing > Payment Settings): one recharge however many debits cross the threshold
 * at once, sized to the target; caps that refuse; failures retried, told, and announced.
 */
let server: TestServer;
const paymentFailures: EventPayload<'billing.payment_failed'>[] = [];
beforeAll(async () => {
  server = await startTestServer();
  // Jobs run when a test settles them, not on the runner's timer: what a test sees in between is fixed.
  await server.system.jobs.stop();
  server.system.events.duringTransaction('billing.payment_failed', async (event) => {
    paymentFailures.push(event);
  });
});
afterAll(() => server.stop());

/** An account holding `balance` (staff credit), with a card and auto-recharge saved as given. */
async function accountWithAutoRecharge(
  balance: string,
  settings: {
    threshold: string;
    mode: 'fixed' | 'target';
    amount: string;
    dailyCap: string;
    monthlyCap: string;
  },
  card = '4242424242424242',
) {
  const account = await apiAccount(server);
  const { id: paymentMethodId } = await savedTestCard(server, account.client, card);
  await server.system.ledger.post([
    {
      accountId: account.accountId,
      subaccountId: null,
      kind: 'adjustment',
      amount: money(BigInt(Math.round(Number(balance) * 1_000_000)), 'USD'),
      idempotencyKey: randomUUID(),
      causedBy: 'system',
    },
  ]);
  const saved = await account.client.put('/api/billing/auto-recharge', {
    enabled: true,
    paymentMethodId,
    ...settings,
  });
  expect(saved.status, JSON.stringify(saved.body)).toBe(200);
  return account;
}

const debit = (accountId: string, units: number) =>
  server.system.ledger.post([
    {
      accountId,
      subaccountId: null,
      kind: 'charge',
      amount: money(BigInt(-units * 1_000_000), 'USD'),
      idempotencyKey: randomUUID(),
      causedBy: 'system',
    },
  ]);

async function autoRecharges(accountId: string) {
  return server.system.database.db
    .selectFrom('payments')
    .select(['status', 'amount_micros', 'failure_reason'])
    .where('account_id', '=', accountId)
    .where('purpose', '=', 'auto_recharge')
    .orderBy('number')
    .execute();
}

const balanceOf = async (accountId: string) => (await server.system.ledger.balance(accountId)).micros;

describe('auto-recharge', () => {
  it('starts one recharge for a stampede of concurrent debits, sized to close the shortfall to the target', async () => {
    const account = await accountWithAutoRecharge('100.00', {
      threshold: '50.00',
      mode: 'target',
      amount: '200.00',
      dailyCap: '1000.00',
      monthlyCap: '5000.00',
    });
    await Promise.all(Array.from({ length: 20 }, () => debit(account.accountId, 3)));
    expect(await autoRecharges(account.accountId)).toEqual([
      { status: 'pending', amount_micros: 0n, failure_reason: null },
    ]);
    await server.system.jobs.drain();
    expect(await autoRecharges(account.accountId)).toEqual([
      { status: 'succeeded', amount_micros: 160_000_000n, failure_reason: null },
    ]);
    expect(await balanceOf(account.accountId)).toBe(200_000_000n);
    // Below the threshold again later: a new crossing, a new recharge.
    await debit(account.accountId, 151);
    await server.system.jobs.drain();
    expect((await autoRecharges(account.accountId)).map((p) => p.amount_micros)).toEqual([
      160_000_000n,
      151_000_000n,
    ]);
  });

  it('refuses a recharge that would pass the daily cap, and tells the billing members why', async () => {
    const account = await accountWithAutoRecharge('60.00', {
      threshold: '50.00',
      mode: 'fixed',
      amount: '100.00',
      dailyCap: '150.00',
      monthlyCap: '1000.00',
    });
    await debit(account.accountId, 20);
    await server.system.jobs.drain();
    await debit(account.accountId, 120);
    await server.system.jobs.drain();
    expect(await autoRecharges(account.accountId)).toEqual([
      { status: 'succeeded', amount_micros: 100_000_000n, failure_reason: null },
      {
        status: 'refused',
        amount_micros: 100_000_000n,
        failure_reason: "it would take today's auto-recharges to $200.00, over the daily cap of $150.00.",
      },
    ]);
    expect(await balanceOf(account.accountId)).toBe(20_000_000n);
    const mail = await messagesTo(server, account.email);
    expect(mail.filter((m) => m.subject.startsWith('Auto-recharge for')).map((m) => m.text)).toEqual([
      expect.stringContaining('over the daily cap of $150.00'),
    ]);
  });

  it('retries a failing card with backoff, tells each failure, and announces the payment failure after the last', async () => {
    const account = await accountWithAutoRecharge(
      '60.00',
      { threshold: '50.00', mode: 'fixed', amount: '25.00', dailyCap: '500.00', monthlyCap: '1000.00' },
      '4000000000000341',
    );
    await debit(account.accountId, 20);
    for (let attempt = 0; attempt < 3; attempt++) {
      await server.system.jobs.drain();
      server.clock.advanceMinutes(10);
      // Reconciliation, which asks the gateway about stalled payments, leaves a retry waiting alone.
      await server.system.payments.reconcile();
    }
    await server.system.jobs.drain();
    expect(await autoRecharges(account.accountId)).toEqual([
      { status: 'failed', amount_micros: 25_000_000n, failure_reason: 'Your card was declined.' },
    ]);
    const failures = (await messagesTo(server, account.email)).filter((m) => m.subject.endsWith('failed'));
    expect(failures).toHaveLength(3);
    expect(paymentFailures.filter((event) => event.accountId === account.accountId)).toEqual([
      { accountId: account.accountId, consecutiveFailures: 3, reason: 'Your card was declined.' },
    ]);
    // It stops trying: a later crossing starts nothing until the settings are saved again.
    await server.system.ledger.post([
      {
        accountId: account.accountId,
        subaccountId: null,
        kind: 'adjustment',
        amount: money(100_000_000n, 'USD'),
        idempotencyKey: randomUUID(),
        causedBy: 'system',
      },
    ]);
    await debit(account.accountId, 100);
    expect(await autoRecharges(account.accountId)).toHaveLength(1);
    expect(await balanceOf(account.accountId)).toBe(40_000_000n);
  });

  it('starts at once when turned on below the threshold', async () => {
    const account = await accountWithAutoRecharge('5.00', {
      threshold: '50.00',
      mode: 'target',
      amount: '80.00',
      dailyCap: '500.00',
      monthlyCap: '1000.00',
    });
    // Turning it on starts the recharge after its transaction commits: drained until it has run.
    await expect
      .poll(async () => {
        await server.system.jobs.drain();
        return balanceOf(account.accountId);
      })
      .toBe(80_000_000n);
  });

  it('explains what to fix in settings it cannot save', async () => {
    const account = await apiAccount(server);
    const refused = await account.client.put('/api/billing/auto-recharge', {
      enabled: true,
      threshold: '50.00',
      mode: 'target',
      amount: '40.00',
      dailyCap: 'lots',
      monthlyCap: '10.00',
      paymentMethodId: null,
    });
    expect([refused.status, refused.body.code]).toEqual([400, PaymentErrors.invalidAutoRecharge]);
    expect(refused.body.errors.map((e: { field: string }) => e.field)).toEqual([
      'dailyCap',
      'amount',
      'paymentMethodId',
    ]);
    expect((await account.client.get('/api/billing/auto-recharge')).body.enabled).toBe(false);
  });
});
