import { sql } from 'kysely';
import { type Db, executor, inTransaction } from '../../db/database.js';
import type { LedgerEntryKind } from '../../db/schema.js';
import type { EventBus } from '../../events/bus.js';
import { type Money, money } from '../../lib/money.js';

/** An entry to post: `amount` is signed (credits positive, charges negative), in the account's currency. */
export interface LedgerEntryDraft {
  /** The main account whose ledger it is; a subaccount's money is its main account's. */
  accountId: string;
  /** The subaccount the entry concerns, or null. */
  subaccountId: string | null;
  kind: LedgerEntryKind;
  amount: Money;
  /** Unique per account: posting an entry whose key the account's ledger has posts nothing. */
  idempotencyKey: string;
  /** "staff:<id>", "member:<user id>", "engine:<id>", "system" or "cli". */
  causedBy: string;
  /** What the entry is for: a usage batch, a number, a payment. */
  reference?: string | null;
  description?: string | null;
}

/** An entry the ledger holds. */
export interface LedgerEntry {
  id: bigint;
  accountId: string;
  subaccountId: string | null;
  kind: LedgerEntryKind;
  amount: Money;
  idempotencyKey: string;
  causedBy: string;
  reference: string | null;
  description: string | null;
  createdAt: Date;
}

/** An account whose cached balance is not the sum of its ledger (`switchboard ledger verify`). */
export interface BalanceMismatch {
  accountId: string;
  authId: string;
  cachedMicros: bigint;
  ledgerMicros: bigint;
}

/**
 * The one way money moves: entries are appended, never changed, and each account's cached balance
 * moves with them in the same transaction. An entry whose idempotency key the account has already
 * used is not posted again, so a retried charge or credit counts once. Accounts' balance rows are
 * locked in the order of their ids, so concurrent postings touching several accounts cannot
 * deadlock. Inside the transaction, every posting that moved balances publishes
 * `ledger.balances_changed` (balance alerts and auto-recharge read it), and one that credits an
 * account `ledger.credited` (owed rentals are settled from it).
 */
export class Ledger {
  constructor(
    private readonly db: Db,
    private readonly events: Pick<EventBus, 'publish'>,
  ) {}

  /** Posts the entries not posted before and answers those it posted. */
  async post(drafts: readonly LedgerEntryDraft[]): Promise<LedgerEntry[]> {
    if (drafts.length === 0) return [];
    return inTransaction(this.db, async (trx) => {
      const inserted = await trx
        .insertInto('ledger_entries')
        .values(
          drafts.map((draft) => ({
            account_id: draft.accountId,
            subaccount_id: draft.subaccountId,
            kind: draft.kind,
            amount_micros: draft.amount.micros,
            currency: draft.amount.currency,
            idempotency_key: draft.idempotencyKey,
            caused_by: draft.causedBy,
            reference: draft.reference ?? null,
            description: draft.description ?? null,
          })),
        )
        .onConflict((conflict) => conflict.columns(['account_id', 'idempotency_key']).doNothing())
        .returningAll()
        .execute();
      const byAccount = new Map<string, { micros: bigint; currency: string }>();
      for (const row of inserted) {
        const sum = byAccount.get(row.account_id);
        if (sum && sum.currency !== row.currency)
          throw new Error(`Entries for account ${row.account_id} in ${sum.currency} and ${row.currency}`);
        byAccount.set(row.account_id, {
          micros: (sum?.micros ?? 0n) + row.amount_micros,
          currency: row.currency,
        });
      }
      const accountIds = [...byAccount.keys()].sort();
      if (accountIds.length > 0) {
        const sums = accountIds.map((id) => byAccount.get(id) as { micros: bigint; currency: string });
        // Lock the balance rows in id order first: the UPDATE alone would lock them in any order.
        await sql`SELECT id FROM accounts WHERE id = ANY(${accountIds}::uuid[]) ORDER BY id FOR NO KEY UPDATE`.execute(
          trx,
        );
        const { rows } = await sql<{ id: string; balance_micros: bigint }>`
          UPDATE accounts SET balance_micros = accounts.balance_micros + delta.micros
          FROM unnest(${accountIds}::uuid[], ${sums.map((sum) => sum.micros.toString())}::bigint[],
                      ${sums.map((sum) => sum.currency)}::text[]) AS delta(id, micros, currency)
          WHERE accounts.id = delta.id AND accounts.parent_account_id IS NULL AND accounts.currency = delta.currency
          RETURNING accounts.id, accounts.balance_micros`.execute(trx);
        if (rows.length !== accountIds.length) {
          const updated = new Set(rows.map((row) => row.id));
          const refused = accountIds.filter((id) => !updated.has(id));
          throw new Error(
            `Not main accounts in the entries' currency, nothing posted: ${refused.join(', ')}`,
          );
        }
        const balances = new Map(rows.map((row) => [row.id, row.balance_micros]));
        const changes = accountIds.map((accountId) => {
          const { micros, currency } = byAccount.get(accountId) as { micros: bigint; currency: string };
          const after = balances.get(accountId) as bigint;
          return {
            accountId,
            beforeMicros: (after - micros).toString(),
            afterMicros: after.toString(),
            currency,
          };
        });
        await this.events.publish('ledger.balances_changed', { changes });
      }
      for (const accountId of accountIds) {
        const { micros, currency } = byAccount.get(accountId) as { micros: bigint; currency: string };
        if (micros > 0n)
          await this.events.publish('ledger.credited', {
            accountId,
            amountMicros: micros.toString(),
            currency,
          });
      }
      return inserted.map(entryOf);
    });
  }

  /** The account's balance: its cached ledger sum, in its currency. */
  async balance(accountId: string): Promise<Money> {
    const row = await executor(this.db)
      .selectFrom('accounts')
      .select(['balance_micros', 'currency'])
      .where('id', '=', accountId)
      .executeTakeFirstOrThrow();
    return money(row.balance_micros, row.currency);
  }

  /** Accounts whose cached balance is not their ledger's sum (a subaccount's must be 0). */
  async verify(): Promise<BalanceMismatch[]> {
    const { rows } = await sql<{
      id: string;
      auth_id: string;
      balance_micros: bigint;
      ledger_micros: bigint;
    }>`
      SELECT a.id, a.auth_id, a.balance_micros, coalesce(l.sum, 0)::bigint AS ledger_micros
      FROM accounts a
      LEFT JOIN (SELECT account_id, sum(amount_micros) AS sum FROM ledger_entries GROUP BY account_id) l
        ON l.account_id = a.id
      WHERE a.balance_micros <> coalesce(l.sum, 0)
      ORDER BY a.auth_id`.execute(executor(this.db));
    return rows.map((row) => ({
      accountId: row.id,
      authId: row.auth_id,
      cachedMicros: row.balance_micros,
      ledgerMicros: row.ledger_micros,
    }));
  }
}

function entryOf(row: {
  id: bigint;
  account_id: string;
  subaccount_id: string | null;
  kind: LedgerEntryKind;
  amount_micros: bigint;
  currency: string;
  idempotency_key: string;
  caused_by: string;
  reference: string | null;
  description: string | null;
  created_at: Date;
}): LedgerEntry {
  return {
    id: row.id,
    accountId: row.account_id,
    subaccountId: row.subaccount_id,
    kind: row.kind,
    amount: money(row.amount_micros, row.currency),
    idempotencyKey: row.idempotency_key,
    causedBy: row.caused_by,
    reference: row.reference,
    description: row.description,
    createdAt: row.created_at,
  };
}
