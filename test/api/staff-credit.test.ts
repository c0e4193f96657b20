import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LedgerErrors } from '../../src/modules/billing/errors.js';
import { apiAccount } from '../support/api-account.js';
import type { ConsoleClient } from '../support/browser-client.js';
import { setUpStaff, signInStaff } from '../support/journeys.js';
import { sdk } from '../support/plivo-sdk.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let staff: ConsoleClient;
let staffId: string;
beforeAll(async () => {
  server = await startTestServer();
  const member = await setUpStaff(server);
  staffId = member.id;
  staff = await signInStaff(server, member);
});
afterAll(() => server.stop());

const credit = (accountId: string, body: Record<string, unknown>) =>
  staff.post(`/api/staff/accounts/${accountId}/credits`, body);

async function auditOf(accountId: string) {
  return server.system.database.db
    .selectFrom('audit_events')
    .select(['action', 'staff_id', 'details'])
    .where('account_id', '=', accountId)
    .where('action', '=', 'billing.credit_adjusted')
    .execute();
}

describe('staff adjust credit with a reason', () => {
  it('credits once however often the same form is submitted, audited with who, why and how much', async () => {
    const account = await apiAccount(server);
    const form = { amount: '25.00', reason: 'Goodwill after the outage', idempotency_key: randomUUID() };
    const answers = await Promise.all([credit(account.accountId, form), credit(account.accountId, form)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect(answers.map((a) => a.body.posted).sort()).toEqual([false, true]);
    expect(answers[0]?.body.transaction).toEqual(answers[1]?.body.transaction);
    const again = await credit(account.accountId, form);
    expect(again.body).toMatchObject({
      posted: false,
      balance: { balanceMicros: '25000000', currency: 'USD' },
    });
    expect(again.body.transaction).toMatchObject({
      kind: 'adjustment',
      amountMicros: '25000000',
      description: 'Goodwill after the outage',
      by: 'staff',
    });
    expect(await server.system.ledger.balance(account.accountId)).toEqual({
      micros: 25_000_000n,
      currency: 'USD',
    });
    const audit = await auditOf(account.accountId);
    expect(audit).toEqual([
      {
        action: 'billing.credit_adjusted',
        staff_id: staffId,
        details: expect.objectContaining({
          amountMicros: '25000000',
          currency: 'USD',
          reason: 'Goodwill after the outage',
        }),
      },
    ]);
    // The customer sees it in Billing > Transactions.
    const listed = await account.client.get('/api/billing/transactions');
    expect(listed.body.transactions[0]).toMatchObject({
      kind: 'adjustment',
      description: 'Goodwill after the outage',
    });
  });

  it('debits with a negative amount, and a new form key is a new adjustment', async () => {
    const account = await apiAccount(server);
    await credit(account.accountId, { amount: '10', reason: 'Promotion', idempotency_key: randomUUID() });
    const debit = await credit(account.accountId, {
      amount: '-2.5',
      reason: 'Promotion applied twice',
      idempotency_key: randomUUID(),
    });
    expect(debit.status, JSON.stringify(debit.body)).toBe(200);
    expect(debit.body.balance.balanceMicros).toBe('7500000');
    expect((await auditOf(account.accountId)).length).toBe(2);
  });

  it('refuses a zero or malformed amount, a missing reason, a short key and an unknown account, changing nothing', async () => {
    const account = await apiAccount(server);
    const key = randomUUID();
    const refusals: [Record<string, unknown>, number, string][] = [
      [{ amount: '0', reason: 'x', idempotency_key: key }, 400, LedgerErrors.invalidAmount],
      [{ amount: '1.2345678', reason: 'x', idempotency_key: key }, 400, LedgerErrors.invalidAmount],
      [{ amount: '1e3', reason: 'x', idempotency_key: key }, 400, LedgerErrors.invalidAmount],
      [{ amount: '5', reason: '   ', idempotency_key: key }, 400, LedgerErrors.reasonRequired],
      [{ amount: '5', reason: 'x', idempotency_key: 'short' }, 400, LedgerErrors.invalidIdempotencyKey],
    ];
    for (const [body, status, code] of refusals) {
      const answer = await credit(account.accountId, body);
      expect([answer.status, answer.body.code], JSON.stringify(body)).toEqual([status, code]);
    }
    const unknown = await credit(randomUUID(), { amount: '5', reason: 'x', idempotency_key: key });
    expect([unknown.status, unknown.body.code]).toEqual([404, LedgerErrors.accountNotFound]);
    expect(await server.system.ledger.balance(account.accountId)).toEqual({ micros: 0n, currency: 'USD' });
    expect(await auditOf(account.accountId)).toEqual([]);
  });
});

describe('cash_credits through the official plivo SDK', () => {
  it('shows the balance after a staff credit, and a subaccount shows its main account’s', async () => {
    const account = await apiAccount(server);
    const client = sdk(server, account.authId, account.authToken);
    expect((await client.accounts.get()).cashCredits).toBe('0.00000');
    const credited = await credit(account.accountId, {
      amount: '12.345678',
      reason: 'Welcome credit',
      idempotency_key: randomUUID(),
    });
    expect(credited.status, JSON.stringify(credited.body)).toBe(200);
    // Five decimals, the sixth rounded half away from zero, as Plivo shows money.
    expect((await client.accounts.get()).cashCredits).toBe('12.34568');

    const sub = await account.client.post('/api/subaccounts', { name: 'Branch', enabled: true });
    expect(sub.status).toBe(201);
    const subClient = sdk(server, sub.body.authId, sub.body.authToken);
    expect((await subClient.accounts.get()).cashCredits).toBe('12.34568');

    // Staff cannot credit a subaccount: it has no balance of its own.
    const refused = await credit(sub.body.id, { amount: '1', reason: 'x', idempotency_key: randomUUID() });
    expect([refused.status, refused.body.code]).toEqual([404, LedgerErrors.accountNotFound]);
  });
});
