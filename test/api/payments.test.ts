import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PaymentErrors } from '../../src/modules/billing/errors.js';
import { apiAccount } from '../support/api-account.js';
import type { ConsoleClient } from '../support/browser-client.js';
import { messagesTo } from '../support/outbox.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { invitedMember } from '../support/team.js';
import { savedTestCard } from '../support/test-gateway.js';

/**
 * Billing > Payment Settings with the built-in test gateway, over HTTP: cards saved through the
 * gateway's own endpoint, Recharge now, the confirmation page, refunds, and the money invariants
 * (credited once, never while pending, reversed once).
 */
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

async function ledgerOf(accountId: string) {
  return server.system.database.db
    .selectFrom('ledger_entries')
    .select(['kind', 'amount_micros', 'idempotency_key'])
    .where('account_id', '=', accountId)
    .where('kind', 'in', ['recharge', 'reversal'])
    .orderBy('id')
    .execute();
}

const balanceOf = async (client: ConsoleClient) =>
  (await client.get('/api/billing/balance')).body.balanceMicros;

describe('Recharge with the test gateway', () => {
  it('saves a card and credits a recharge once, however often the request is sent', async () => {
    const account = await apiAccount(server);
    const card = await savedTestCard(server, account.client, '4242 4242 4242 4242');
    expect(card).toMatchObject({ brand: 'Visa', last4: '4242' });
    const requestKey = randomUUID();
    const first = await account.client.post('/api/billing/recharges', {
      amount: '50.00',
      paymentMethodId: card.id,
      requestKey,
    });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({
      status: 'succeeded',
      amountMicros: '50000000',
      card: 'Visa •••• 4242',
    });
    const again = await account.client.post('/api/billing/recharges', {
      amount: '50.00',
      paymentMethodId: card.id,
      requestKey,
    });
    expect(again.body.id).toBe(first.body.id);
    await server.system.payments.reconcile();
    expect(await ledgerOf(account.accountId)).toEqual([
      { kind: 'recharge', amount_micros: 50_000_000n, idempotency_key: `payment:${first.body.id}` },
    ]);
    expect(await balanceOf(account.client)).toBe('50000000');
    const mail = await messagesTo(server, account.email);
    expect(mail.filter((m) => m.subject.startsWith('Payment received'))).toHaveLength(1);
    const listed = await account.client.get('/api/billing/payments');
    expect(listed.body.payments.map((p: { id: string }) => p.id)).toEqual([first.body.id]);
    const receipt = await fetch(`${server.url}/api/billing/payments/${first.body.id}/receipt.pdf`, {
      headers: {
        cookie: [...account.client.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        'x-forwarded-for': account.client.ip,
        'user-agent': account.client.userAgent,
      },
    });
    expect(receipt.status).toBe(200);
    expect(receipt.headers.get('content-type')).toBe('application/pdf');
    expect(
      Buffer.from(await receipt.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
  });

  it('answers a declined card with the reason and credits nothing', async () => {
    const account = await apiAccount(server);
    const card = await savedTestCard(server, account.client, '4000000000000002');
    const declined = await account.client.post('/api/billing/recharges', {
      amount: '20.00',
      paymentMethodId: card.id,
      requestKey: randomUUID(),
    });
    expect(declined.status).toBe(201);
    expect(declined.body).toMatchObject({ status: 'failed', failureReason: 'Your card was declined.' });
    const noReceipt = await account.client.get(`/api/billing/payments/${declined.body.id}/receipt.pdf`);
    expect([noReceipt.status, noReceipt.body.code]).toEqual([409, PaymentErrors.noReceipt]);
    expect(await ledgerOf(account.accountId)).toEqual([]);
    const mail = await messagesTo(server, account.email);
    expect(mail.some((m) => m.subject.includes('did not go through'))).toBe(true);
  });

  it('never credits while the cardholder has not confirmed; credits once after, however often told', async () => {
    const account = await apiAccount(server);
    const card = await savedTestCard(server, account.client, '4000002500003155');
    const pending = await account.client.post('/api/billing/recharges', {
      amount: '30.00',
      paymentMethodId: card.id,
      requestKey: randomUUID(),
    });
    expect(pending.body.status).toBe('requires_action');
    expect(pending.body.actionUrl).toMatch(/\/test-gateway\/confirm\/tgpay_[0-9a-f]{24}$/);
    const actionUrl = `${server.url}${new URL(pending.body.actionUrl).pathname}`;
    await server.system.payments.reconcile();
    expect(await ledgerOf(account.accountId)).toEqual([]);
    const confirmPage = await fetch(actionUrl);
    expect(await confirmPage.text()).toContain('$30.00');
    const confirm = () =>
      fetch(actionUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'outcome=complete',
        redirect: 'manual',
      });
    const answers = await Promise.all([confirm(), confirm(), confirm()]);
    expect(answers.map((a) => a.status)).toEqual([303, 303, 303]);
    expect(answers[0]?.headers.get('location')).toBe(`/billing/payment-settings?payment=${pending.body.id}`);
    await server.system.payments.onGatewayEvent({ paymentId: pending.body.id });
    expect(await ledgerOf(account.accountId)).toEqual([
      { kind: 'recharge', amount_micros: 30_000_000n, idempotency_key: `payment:${pending.body.id}` },
    ]);
    const after = await account.client.get(`/api/billing/payments/${pending.body.id}`);
    expect(after.body).toMatchObject({ status: 'succeeded', actionUrl: null });
  });

  it('reverses a credited payment refunded at the gateway, once', async () => {
    const account = await apiAccount(server);
    const card = await savedTestCard(server, account.client, '5555555555554444');
    const paid = await account.client.post('/api/billing/recharges', {
      amount: '40.00',
      paymentMethodId: card.id,
      requestKey: randomUUID(),
    });
    const payment = await server.system.payments.store.payment(paid.body.id);
    const refund = () =>
      fetch(`${server.url}/test-gateway/payments/${payment?.gateway_ref}/refund`, { method: 'POST' });
    expect((await refund()).status).toBe(200);
    expect((await refund()).status).toBe(200);
    await server.system.payments.reconcile();
    expect((await ledgerOf(account.accountId)).map((e) => [e.kind, e.amount_micros])).toEqual([
      ['recharge', 40_000_000n],
      ['reversal', -40_000_000n],
    ]);
    expect(await balanceOf(account.client)).toBe('0');
    const shown = await account.client.get(`/api/billing/payments/${paid.body.id}`);
    expect(shown.body.reversalReason).toBe('Refunded at the test gateway.');
  });

  it('credits a payment charged before a crash once the reconciliation asks the gateway again', async () => {
    const account = await apiAccount(server);
    const card = await savedTestCard(server, account.client, '4242424242424242');
    const payments = server.system.payments;
    // The server died after recording the payment and before hearing the gateway's answer.
    const paymentId = randomUUID();
    await payments.store.insertPayment({
      id: paymentId,
      account_id: account.accountId,
      payment_method_id: card.id,
      purpose: 'recharge',
      gateway: 'test',
      gateway_ref: null,
      amount_micros: 15_000_000n,
      currency: 'USD',
      status: 'pending',
      failure_reason: null,
      action_url: null,
      requested_by: 'system',
      request_key: randomUUID(),
      credited_at: null,
      reversed_at: null,
      reversal_reason: null,
    });
    const charged = await payments.gateway.charge({
      customerRef: await payments.customer(account.accountId),
      methodRef: (await payments.store.method(account.accountId, card.id))?.gateway_ref as string,
      amountMinor: 1500n,
      currency: 'USD',
      paymentId,
      idempotencyKey: paymentId,
      offSession: false,
      returnUrl: server.url,
    });
    expect(charged.status).toBe('succeeded');
    await server.system.database.db
      .updateTable('payments')
      .set({ updated_at: new Date(Date.now() - 120_000) })
      .where('id', '=', paymentId)
      .execute();
    await Promise.all([payments.reconcile(), payments.reconcile()]);
    await payments.reconcile();
    expect(await ledgerOf(account.accountId)).toEqual([
      { kind: 'recharge', amount_micros: 15_000_000n, idempotency_key: `payment:${paymentId}` },
    ]);
  });
});

describe('What Recharge refuses', () => {
  it('refuses amounts outside the limits or finer than cents, naming them', async () => {
    const account = await apiAccount(server);
    const card = await savedTestCard(server, account.client, '4242424242424242');
    const attempt = (amount: string) =>
      account.client.post('/api/billing/recharges', {
        amount,
        paymentMethodId: card.id,
        requestKey: randomUUID(),
      });
    const low = await attempt('5.00');
    expect([low.status, low.body.code]).toEqual([400, PaymentErrors.amountOutOfRange]);
    expect(low.body.detail).toBe('A recharge is from $10.00 to $10,000.00.');
    const high = await attempt('10000.01');
    expect([high.status, high.body.code]).toEqual([400, PaymentErrors.amountOutOfRange]);
    const fine = await attempt('12.345');
    expect([fine.status, fine.body.code]).toEqual([400, PaymentErrors.invalidAmount]);
    expect(await ledgerOf(account.accountId)).toEqual([]);
    expect((await account.client.get('/api/billing/payments')).body.payments).toEqual([]);
  });

  it("refuses another account's card and payment as unknown, and an unknown test card number", async () => {
    const mine = await apiAccount(server);
    const theirs = await apiAccount(server);
    const theirCard = await savedTestCard(server, theirs.client, '4242424242424242');
    const paid = await theirs.client.post('/api/billing/recharges', {
      amount: '10.00',
      paymentMethodId: theirCard.id,
      requestKey: randomUUID(),
    });
    const steal = await mine.client.post('/api/billing/recharges', {
      amount: '10.00',
      paymentMethodId: theirCard.id,
      requestKey: randomUUID(),
    });
    expect([steal.status, steal.body.code]).toEqual([404, PaymentErrors.methodNotFound]);
    const peek = await mine.client.get(`/api/billing/payments/${paid.body.id}`);
    expect([peek.status, peek.body.code]).toEqual([404, PaymentErrors.paymentNotFound]);
    const remove = await mine.client.delete(`/api/billing/payment-methods/${theirCard.id}`);
    expect(remove.status).toBe(404);
    const setup = await mine.client.post('/api/billing/payment-methods/setup');
    const unknown = await fetch(`${server.url}/test-gateway/cards`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        customer: setup.body.customerRef,
        number: '4111111111111111',
        expMonth: 1,
        expYear: 2031,
        cvc: '123',
      }),
    });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { message: string }).message).toContain('4242424242424242');
    const forged = await mine.client.post('/api/billing/payment-methods', {
      proof: 'tgcard_000000000000000000000000',
    });
    expect([forged.status, forged.body.code]).toEqual([400, PaymentErrors.gatewayRefused]);
  });

  it('is Billing: the Financial Analyst pays, the Developer and Support are refused', async () => {
    const owner = await apiAccount(server);
    const analyst = await invitedMember(server, owner.client, 'financial_analyst');
    expect((await analyst.client.get('/api/billing/payment-settings')).status).toBe(200);
    for (const role of ['developer', 'support'] as const) {
      const member = await invitedMember(server, owner.client, role);
      expect((await member.client.get('/api/billing/payment-settings')).status).toBe(403);
      expect((await member.client.post('/api/billing/payment-methods/setup')).status).toBe(403);
    }
  });
});
