import { type Db, executor, inTransaction } from '../../db/database.js';
import { assertThat, NotFound, ValidationFailed } from '../../lib/errors.js';
import { money, parseMoney } from '../../lib/money.js';
import type { Actor, AuditLog } from '../audit/audit.js';
import { LedgerErrors } from './errors.js';
import type { Ledger } from './ledger.js';
import { balanceView, transactionColumns, viewOf } from './transactions.js';

/** Who adjusts credit: a staff member in the staff console, or the operator's CLI. */
export type CreditActor = Actor & ({ staffId: string } | { cli: true });

export interface CreditAdjustment {
  /** Units, signed: "25.00" credits, "-5" debits. */
  amount: string;
  reason: string;
  /** One per intended adjustment: repeating it (a double submit, a retried command) adjusts once. */
  idempotencyKey: string;
}

/** A signed amount in units ("-5.5") as micro-units; null when it is not one. */
function signedMicros(text: string): bigint | null {
  const trimmed = text.trim();
  const negative = trimmed.startsWith('-');
  const micros = parseMoney(negative ? trimmed.slice(1) : trimmed.replace(/^\+/, ''));
  return micros === null ? null : negative ? -micros : micros;
}

/**
 * Staff adjust an account's credit, up or down, with a reason: an `adjustment` entry on the main
 * account's ledger, audited with who, why and how much. The key makes it happen once: a second
 * submit of the same form answers the first adjustment and changes nothing.
 */
export class CreditAdjustments {
  constructor(
    private readonly db: Db,
    private readonly ledger: Pick<Ledger, 'post' | 'balance'>,
    private readonly audit: AuditLog,
  ) {}

  /** Adjusts a main account's credit (by its id, as the staff console addresses accounts). */
  async adjust(actor: CreditActor, accountId: string, adjustment: CreditAdjustment) {
    const micros = signedMicros(adjustment.amount);
    assertThat(
      micros !== null && micros !== 0n,
      ValidationFailed(
        LedgerErrors.invalidAmount,
        'amount must be a non-zero amount in units, such as 25.00 or -5 (at most 6 decimals).',
        [{ field: 'amount', message: 'must be a non-zero amount such as 25.00 or -5' }],
      ),
    );
    const reason = adjustment.reason.trim();
    assertThat(
      reason.length > 0,
      ValidationFailed(
        LedgerErrors.reasonRequired,
        'Give the reason for the adjustment: the customer sees it.',
        [{ field: 'reason', message: 'is required' }],
      ),
    );
    const key = adjustment.idempotencyKey.trim();
    assertThat(
      /^[A-Za-z0-9._:-]{8,100}$/.test(key),
      ValidationFailed(
        LedgerErrors.invalidIdempotencyKey,
        'idempotency_key must be 8 to 100 letters, digits or . _ : - (the console makes one per form).',
        [{ field: 'idempotency_key', message: 'must be 8 to 100 letters, digits or . _ : -' }],
      ),
    );
    return inTransaction(this.db, async () => {
      const account = await executor(this.db)
        .selectFrom('accounts')
        .select(['id', 'auth_id', 'currency'])
        .where('id', '=', accountId)
        .where('parent_account_id', 'is', null)
        .executeTakeFirst();
      assertThat(account, NotFound(LedgerErrors.accountNotFound, 'No main account has this id.'));
      const idempotencyKey = `credit:${key}`;
      const [posted] = await this.ledger.post([
        {
          accountId: account.id,
          subaccountId: null,
          kind: 'adjustment',
          amount: money(micros as bigint, account.currency),
          idempotencyKey,
          causedBy: 'staffId' in actor ? `staff:${actor.staffId}` : 'cli',
          description: reason,
        },
      ]);
      if (posted)
        await this.audit.record(actor, {
          action: 'billing.credit_adjusted',
          accountId: account.id,
          details: {
            amountMicros: posted.amount.micros.toString(),
            currency: posted.amount.currency,
            reason,
            entryId: posted.id.toString(),
          },
        });
      const entry = await executor(this.db)
        .selectFrom('ledger_entries as e')
        .leftJoin('accounts as sub', 'sub.id', 'e.subaccount_id')
        .select(transactionColumns)
        .where('e.account_id', '=', account.id)
        .where('e.idempotency_key', '=', idempotencyKey)
        .executeTakeFirstOrThrow();
      return {
        posted: posted !== undefined,
        authId: account.auth_id,
        transaction: viewOf(entry),
        balance: balanceView(await this.ledger.balance(account.id)),
      };
    });
  }

  /** The CLI's form: the account named by its Auth ID (`switchboard credits add --account MA…`). */
  async adjustByAuthId(actor: CreditActor, authId: string, adjustment: CreditAdjustment) {
    const account = await executor(this.db)
      .selectFrom('accounts')
      .select('id')
      .where('auth_id', '=', authId)
      .where('parent_account_id', 'is', null)
      .executeTakeFirst();
    assertThat(account, NotFound(LedgerErrors.accountNotFound, `No main account has the Auth ID ${authId}.`));
    return this.adjust(actor, account.id, adjustment);
  }
}
