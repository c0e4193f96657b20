import { type Db, executor } from '../../db/database.js';
import type { EventPayload } from '../../events/catalog.js';
import { money } from '../../lib/money.js';
import type { Ledger } from './ledger.js';

/** The statuses an account is activated from for the first time (a reinstatement comes from `suspended`). */
const FIRST_ACTIVATION_FROM: readonly string[] = ['pending_verification', 'under_review'];

/**
 * Trial credit (operator setting TRIAL_CREDIT): a main account receives it once, in the transaction
 * that first activates it, as a `trial_credit` entry (never refundable). Its idempotency key is the
 * same for every activation, so an account activated twice is credited once.
 */
export function trialCreditOnActivation(db: Db, ledger: Pick<Ledger, 'post'>, amountMicros: bigint) {
  return async (event: EventPayload<'account.status_changed'>) => {
    if (amountMicros <= 0n || event.to !== 'active' || !FIRST_ACTIVATION_FROM.includes(event.from)) return;
    const account = await executor(db)
      .selectFrom('accounts')
      .select(['currency', 'parent_account_id'])
      .where('id', '=', event.accountId)
      .executeTakeFirstOrThrow();
    if (account.parent_account_id !== null) return;
    await ledger.post([
      {
        accountId: event.accountId,
        subaccountId: null,
        kind: 'trial_credit',
        amount: money(amountMicros, account.currency),
        idempotencyKey: 'trial-credit',
        causedBy: 'system',
        description: 'Trial credit',
      },
    ]);
  };
}
