import { sql } from 'kysely';
import {
  accountsNotLocked,
  type Db,
  executor,
  inTransaction,
  lockAccountRows,
  noteAccountsLocked,
} from '../../db/database.js';
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

  /**
   * Posts the entries not posted before and answers those it posted. One statement inserts them and
   * moves the balances; when it would lock more than one account's row not yet locked by this
   * transaction, they are locked in id order first (an UPDATE locks its rows in any order).
   */
  async post(drafts: readonly LedgerEntryDraft[]): Promise<LedgerEntry[]> {
    if (drafts.length === 0) return [];
    const currencyOf = new Map<string, string>();
    for (const { accountId, amount } of drafts) {
      const currency = currencyOf.get(accountId);
      if (currency && currency !== amount.currency)
        throw new Error(`Entries for account ${accountId} in ${currency} and ${amount.currency}`);
      currencyOf.set(accountId, amount.currency);
    }
    return inTransaction(this.db, async (trx) => {
      if (accountsNotLocked(currencyOf.keys()).length > 1) await lockAccountRows(currencyOf.keys());
      const column = <T>(pick: (draft: LedgerEntryDraft) => T) => drafts.map(pick);
      const { rows } = await sql<EntryRow & { balance_after: bigint | null }>`
        WITH inserted AS (
          INSERT INTO ledger_entries (account_id, subaccount_id, kind, amount_micros, currency, idempotency_key,
            caused_by, reference, description)
          SELECT * FROM unnest(${column((d) => d.accountId)}::uuid[], ${column((d) => d.subaccountId)}::uuid[],
            ${column((d) => d.kind)}::text[], ${column((d) => d.amount.micros.toString())}::bigint[],
            ${column((d) => d.amount.currency)}::text[], ${column((d) => d.idempotencyKey)}::text[],
            ${column((d) => d.causedBy)}::text[], ${column((d) => d.reference ?? null)}::text[],
            ${column((d) => d.description ?? null)}::text[])
          ON CONFLICT (account_id, idempotency_key) DO NOTHING
          RETURNING *),
        sums AS (
          SELECT account_id, currency, sum(amount_micros)::bigint AS micros FROM inserted GROUP BY account_id, currency),
        updated AS (
          UPDATE accounts SET balance_micros = accounts.balance_micros + sums.micros
          FROM sums
          WHERE accounts.id = sums.account_id AND accounts.parent_account_id IS NULL
            AND accounts.currency = sums.currency
          RETURNING accounts.id, accounts.balance_micros)
        SELECT inserted.*, updated.balance_micros AS balance_after
        FROM inserted LEFT JOIN updated ON updated.id = inserted.account_id
        ORDER BY inserted.id`.execute(trx);
      const refused = [
        ...new Set(rows.filter((row) => row.balance_after === null).map((row) => row.account_id)),
      ];
      // Throwing rolls the transaction back: nothing of this posting stays.
      if (refused.length > 0)
        throw new Error(
          `Not main accounts in the entries' currency, nothing posted: ${refused.sort().join(', ')}`,
        );
      const moved = new Map<string, { micros: bigint; afterMicros: bigint }>();
      for (const row of rows)
        moved.set(row.account_id, {
          micros: (moved.get(row.account_id)?.micros ?? 0n) + row.amount_micros,
          afterMicros: row.balance_after as bigint,
        });
      const accountIds = [...moved.keys()].sort();
      noteAccountsLocked(accountIds);
      if (accountIds.length > 0) {
        const changes = accountIds.map((accountId) => {
          const { micros, afterMicros } = moved.get(accountId) as { micros: bigint; afterMicros: bigint };
          return {
            accountId,
            beforeMicros: (afterMicros - micros).toString(),
            afterMicros: afterMicros.toString(),
            currency: currencyOf.get(accountId) as string,
          };
        });
        await this.events.publish('ledger.balances_changed', { changes });
      }
      for (const accountId of accountIds) {
        const { micros } = moved.get(accountId) as { micros: bigint };
        if (micros > 0n)
          await this.events.publish('ledger.credited', {
            accountId,
            amountMicros: micros.toString(),
            currency: currencyOf.get(accountId) as string,
          });
      }
      return rows.map(entryOf);
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

/** A ledger_entries row. */
interface EntryRow {
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
}

function entryOf(row: EntryRow): LedgerEntry {
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
