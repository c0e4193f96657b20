import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testTarget } from '../../../test/support/database.js';
import { accountsNotLocked, type DatabaseHandle, inTransaction, lockAccountRows } from '../../db/database.js';
import { EventBus } from '../../events/bus.js';
import type { EventPayload } from '../../events/catalog.js';
import { Jobs } from '../../jobs/runner.js';
import { systemClock } from '../../lib/clock.js';
import { newAuthId, newId } from '../../lib/ids.js';
import { money } from '../../lib/money.js';
import { Ledger, type LedgerEntryDraft } from './ledger.js';

let handle: DatabaseHandle;
let ledger: Ledger;
const credited: EventPayload<'ledger.credited'>[] = [];
const balanceChanges: EventPayload<'ledger.balances_changed'>[] = [];

beforeAll(async () => {
  handle = await createTestDatabase();
  const events = new EventBus(
    new Jobs({ db: handle.db, clock: systemClock, log: pino({ level: 'silent' }) }),
  );
  events.duringTransaction('ledger.credited', async (event) => {
    credited.push(event);
  });
  events.duringTransaction('ledger.balances_changed', async (event) => {
    balanceChanges.push(event);
  });
  ledger = new Ledger(handle.db, events);
});
afterAll(() => handle.close());

async function mainAccount(currency = 'USD') {
  const id = newId();
  await handle.db
    .insertInto('accounts')
    .values({ id, auth_id: newAuthId('MA'), name: 'Acme', signup_ip: null, status: 'active', currency })
    .execute();
  return id;
}

async function subaccountOf(parent: string) {
  const id = newId();
  await handle.db
    .insertInto('accounts')
    .values({
      id,
      auth_id: newAuthId('SA'),
      name: 'Acme EU',
      signup_ip: null,
      status: 'active',
      currency: 'USD',
      parent_account_id: parent,
    })
    .execute();
  return id;
}

const entry = (accountId: string, micros: bigint, key: string, more: Partial<LedgerEntryDraft> = {}) =>
  ({
    accountId,
    subaccountId: null,
    kind: micros >= 0n ? 'adjustment' : 'charge',
    amount: money(micros, 'USD'),
    idempotencyKey: key,
    causedBy: 'system',
    ...more,
  }) satisfies LedgerEntryDraft;

const ledgerSum = async (accountId: string) =>
  (
    await handle.db
      .selectFrom('ledger_entries')
      .select((eb) => eb.fn.sum<bigint>('amount_micros').as('sum'))
      .where('account_id', '=', accountId)
      .executeTakeFirstOrThrow()
  ).sum;

describe(`the ledger on ${testTarget}`, () => {
  it('keeps the balance equal to the ledger sum (money invariant: balance = ledger sum)', async () => {
    const account = await mainAccount();
    await ledger.post([entry(account, 25_000_000n, 'credit-1')]);
    await ledger.post([entry(account, -8_500n, 'charge-1'), entry(account, -17_000n, 'charge-2')]);
    expect((await ledger.balance(account)).micros).toBe(24_974_500n);
    expect(BigInt(await ledgerSum(account))).toBe(24_974_500n);
    expect(await ledger.verify()).toEqual([]);
  });

  it('posts an idempotency key once, however often it is posted', async () => {
    const account = await mainAccount();
    const first = await ledger.post([entry(account, 10_000_000n, 'recharge-7')]);
    const again = await ledger.post([entry(account, 10_000_000n, 'recharge-7')]);
    expect(first).toHaveLength(1);
    expect(again).toEqual([]);
    expect((await ledger.balance(account)).micros).toBe(10_000_000n);
  });

  it('charges the same entries once when they are posted concurrently (money invariant: no double charge)', async () => {
    const account = await mainAccount();
    const batch = Array.from({ length: 20 }, (_, i) => entry(account, -1_000n, `usage-${i}`));
    const results = await Promise.all(Array.from({ length: 8 }, () => ledger.post(batch)));
    expect(results.reduce((count, posted) => count + posted.length, 0)).toBe(20);
    expect((await ledger.balance(account)).micros).toBe(-20_000n);
    expect(BigInt(await ledgerSum(account))).toBe(-20_000n);
  });

  it('lets the balance go negative and shows it', async () => {
    const account = await mainAccount();
    await ledger.post([entry(account, -42n, 'charge')]);
    expect(await ledger.balance(account)).toEqual(money(-42n, 'USD'));
  });

  it("posts a subaccount's usage on its main account, carrying the subaccount", async () => {
    const account = await mainAccount();
    const sub = await subaccountOf(account);
    const [posted] = await ledger.post([entry(account, -5_000n, 'sub-usage', { subaccountId: sub })]);
    expect(posted?.subaccountId).toBe(sub);
    expect((await ledger.balance(account)).micros).toBe(-5_000n);
    expect((await ledger.balance(sub)).micros).toBe(0n);
  });

  it('posts nothing for a subaccount or in another currency', async () => {
    const account = await mainAccount();
    const sub = await subaccountOf(account);
    await expect(ledger.post([entry(sub, 1_000n, 'to-sub')])).rejects.toThrow(/Not main accounts/);
    const euro = { ...entry(account, 1_000n, 'in-euro'), amount: money(1_000n, 'EUR') };
    await expect(ledger.post([entry(account, 1n, 'with-euro'), euro])).rejects.toThrow(
      /Not main accounts|EUR/,
    );
    expect(
      await handle.db.selectFrom('ledger_entries').where('account_id', 'in', [account, sub]).execute(),
    ).toEqual([]);
  });

  it('announces a credit inside the transaction, not a charge', async () => {
    const account = await mainAccount();
    await ledger.post([entry(account, -1n, 'charge'), entry(account, 3n, 'credit')]);
    await ledger.post([entry(account, -9n, 'charge-only')]);
    expect(credited.filter((event) => event.accountId === account)).toEqual([
      { accountId: account, amountMicros: '2', currency: 'USD' },
    ]);
  });

  it('announces every posting that moved balances once, with each account before and after', async () => {
    const [first, second] = [await mainAccount(), await mainAccount()].sort();
    const mine = () =>
      balanceChanges.filter((event) =>
        event.changes.some((change) => change.accountId === first || change.accountId === second),
      );
    await ledger.post([
      entry(second as string, 500n, 'second-credit'),
      entry(first as string, -200n, 'first-charge'),
      entry(first as string, -50n, 'first-charge-2'),
    ]);
    await ledger.post([entry(first as string, -200n, 'first-charge')]); // posted before: nothing moves
    expect(mine()).toEqual([
      {
        changes: [
          { accountId: first, beforeMicros: '0', afterMicros: '-250', currency: 'USD' },
          { accountId: second, beforeMicros: '0', afterMicros: '500', currency: 'USD' },
        ],
      },
    ]);
  });

  it('does not ask again for a row lock its transaction holds, and counts the rows a posting locked', async () => {
    const [first, second, third] = [await mainAccount(), await mainAccount(), await mainAccount()];
    await inTransaction(handle.db, async () => {
      await lockAccountRows([first, second] as string[]);
      expect(accountsNotLocked([first, second, third] as string[])).toEqual([third]);
      await ledger.post([entry(third as string, -5n, 'locks-third')]);
      expect(accountsNotLocked([first, second, third] as string[])).toEqual([]);
    });
    await inTransaction(handle.db, async () => {
      expect(accountsNotLocked([first] as string[])).toEqual([first]);
    });
  });

  it('finds an account whose cached balance is not its ledger sum', async () => {
    const account = await mainAccount();
    await ledger.post([entry(account, 7n, 'credit')]);
    await handle.db.updateTable('accounts').set({ balance_micros: 8n }).where('id', '=', account).execute();
    expect(await ledger.verify()).toContainEqual(
      expect.objectContaining({ accountId: account, cachedMicros: 8n, ledgerMicros: 7n }),
    );
    await handle.db.updateTable('accounts').set({ balance_micros: 7n }).where('id', '=', account).execute();
  });
});
