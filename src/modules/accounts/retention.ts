import { Type } from '@sinclair/typebox';
import { type Db, inTransaction } from '../../db/database.js';
import { defineJob } from '../../jobs/definition.js';
import type { Clock } from '../../lib/clock.js';
import type { Actor, AuditLog } from '../audit/audit.js';
import { type DueAccount, RetentionStore } from './retention.store.js';

/** Accounts taken per step of a run: a run takes them all, a batch at a time. */
const BATCH = 50;
const SYSTEM: Actor = { ip: '127.0.0.1', userAgent: 'financial-retention' };

export interface PurgeOutcome {
  accounts: number;
}

/**
 * "Closed accounts": the ledger, invoices and audit trail of a closed account are kept for the
 * operator's retention (FINANCIAL_RETENTION_YEARS), visible to staff only; after it they go, with
 * every other financial or personal record the account still holds, in one transaction per
 * account. The accounts rows stay, emptied, so an Auth ID is never reused. Members who then belong
 * to no account are deleted, or emptied of personal data where another account's records name them.
 */
export class FinancialRetention {
  private readonly store: RetentionStore;

  constructor(
    private readonly deps: { db: Db; clock: Clock; audit: AuditLog },
    readonly years: number,
  ) {
    this.store = new RetentionStore(deps.db);
  }

  /** The moment before which a closure's retention has run out. */
  closedBefore(now: Date): Date {
    const limit = new Date(now);
    limit.setUTCFullYear(limit.getUTCFullYear() - this.years);
    return limit;
  }

  /** Purges every closed account whose retention has run out. */
  async purgeDue(): Promise<PurgeOutcome> {
    const closedBefore = this.closedBefore(this.deps.clock.now());
    let accounts = 0;
    for (;;) {
      const due = await this.store.due(closedBefore, BATCH);
      for (const account of due) if (await this.purge(account, closedBefore)) accounts++;
      if (due.length < BATCH) break;
    }
    return { accounts };
  }

  private async purge(account: DueAccount, closedBefore: Date): Promise<boolean> {
    const { store } = this;
    return inTransaction(this.deps.db, async () => {
      if (!(await store.claim(account.id, closedBefore))) return false;
      const ids = await store.family(account.id);
      const formerMembers = await store.memberUserIds(ids);
      const removed = await store.deleteRecordsOf(ids);
      let usersDeleted = 0;
      let usersEmptied = 0;
      for (const userId of await store.withoutAccount(formerMembers)) {
        await store.deletePersonalRecordsOf(userId);
        if (await store.stillNamed(userId)) {
          await store.anonymizeUser(userId);
          usersEmptied++;
        } else {
          await store.deleteUser(userId);
          usersDeleted++;
        }
      }
      const now = this.deps.clock.now();
      await store.emptyAccounts(ids, now);
      // Written after the deletes, so the purge's own record is the account's whole remaining trail.
      await this.deps.audit.record(SYSTEM, {
        action: 'account.purged',
        accountId: account.id,
        details: {
          closedAt: account.closedAt.toISOString(),
          retentionYears: this.years,
          subaccounts: ids.length - 1,
          usersDeleted,
          usersEmptied,
          removed,
        },
      });
      return true;
    });
  }
}

export const RETENTION_JOB = 'accounts.financial-retention';

/** Looks for closed accounts past the retention once a day (a purge is marked in its transaction, so a rerun skips it). */
export function financialRetentionJob(retention: Pick<FinancialRetention, 'purgeDue'>) {
  return defineJob({
    name: RETENTION_JOB,
    payload: Type.Object({}),
    schedule: { everySeconds: 86_400 },
    handle: async () => {
      await retention.purgeDue();
    },
  });
}
