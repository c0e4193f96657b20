import { sql } from 'kysely';
import { type Db, executor } from '../../db/database.js';
import type { SuspiciousActivityRule } from '../../db/schema.js';
import { newId } from '../../lib/ids.js';

/** An active main account as the rules read it: its local days are in its time zone. */
export interface WatchedAccount {
  id: string;
  timezone: string;
  currency: string;
}

/**
 * SQL of suspicious activity: its flags (migration 0025), and the reads the rules need of accounts
 * (active main accounts, their time zone and currency) and of the audit trail (members' sign-ins).
 */
export class SuspiciousActivityStore {
  constructor(private readonly db: Db) {}

  private get q() {
    return executor(this.db);
  }

  /** Those of the accounts that are active main accounts. */
  async activeMainAccounts(accountIds: readonly string[]): Promise<WatchedAccount[]> {
    if (accountIds.length === 0) return [];
    return this.q
      .selectFrom('accounts')
      .select(['id', 'timezone', 'currency'])
      .where('id', 'in', [...accountIds])
      .where('status', '=', 'active')
      .where('parent_account_id', 'is', null)
      .execute();
  }

  /** Whether the account is active, its row locked until the caller's transaction ends (a suspension waits for it). */
  async lockActive(accountId: string): Promise<boolean> {
    const row = await this.q
      .selectFrom('accounts')
      .select('status')
      .where('id', '=', accountId)
      .forUpdate()
      .executeTakeFirst();
    return row?.status === 'active';
  }

  /** Members' completed sign-ins into active main accounts since a moment: where from, and when. */
  signInsSince(since: Date) {
    return this.q
      .selectFrom('audit_events as e')
      .innerJoin('accounts as a', 'a.id', 'e.account_id')
      .select(['a.id as accountId', 'a.timezone', 'e.ip', 'e.created_at as at'])
      .where('e.action', '=', 'user.signed_in')
      .where('e.created_at', '>=', since)
      .where('a.status', '=', 'active')
      .where('a.parent_account_id', 'is', null)
      .execute();
  }

  /** Records a rule that fired for the account's day; false when it fired for that day before (the claim). */
  async claim(flag: {
    accountId: string;
    rule: SuspiciousActivityRule;
    day: string;
    figures: Record<string, unknown>;
    at: Date;
  }): Promise<boolean> {
    const inserted = await this.q
      .insertInto('suspicious_activity_flags')
      .values({
        id: newId(),
        account_id: flag.accountId,
        rule: flag.rule,
        day: flag.day,
        figures: JSON.stringify(flag.figures),
        created_at: flag.at,
      })
      .onConflict((conflict) => conflict.columns(['account_id', 'rule', 'day']).doNothing())
      .returning('id')
      .executeTakeFirst();
    return inserted !== undefined;
  }

  /** Resolves the account's open flags (its suspension resolves them); answers how many. */
  async resolveOpen(accountId: string, resolution: { at: Date; by: string; outcome: 'suspended' }) {
    const rows = await this.q
      .updateTable('suspicious_activity_flags')
      .set({ resolved_at: resolution.at, resolved_by: resolution.by, outcome: resolution.outcome })
      .where('account_id', '=', accountId)
      .where('resolved_at', 'is', null)
      .returning('id')
      .execute();
    return rows.length;
  }

  /** Clears one open flag with a note; answers the flag, or undefined when it is not open. */
  clear(flagId: string, resolution: { at: Date; by: string; note: string }) {
    return this.q
      .updateTable('suspicious_activity_flags')
      .set({
        resolved_at: resolution.at,
        resolved_by: resolution.by,
        outcome: 'cleared',
        note: resolution.note,
      })
      .where('id', '=', flagId)
      .where('resolved_at', 'is', null)
      .returning(['id', 'account_id as accountId', 'rule', 'day'])
      .executeTakeFirst();
  }

  exists(flagId: string) {
    return this.q
      .selectFrom('suspicious_activity_flags')
      .select('id')
      .where('id', '=', flagId)
      .executeTakeFirst();
  }

  /** Open flags, oldest first, then those resolved since a moment, newest first. */
  list(resolvedSince: Date, limit: number) {
    return this.q
      .selectFrom('suspicious_activity_flags as f')
      .innerJoin('accounts as a', 'a.id', 'f.account_id')
      .select([
        'f.id',
        'f.account_id as accountId',
        'a.auth_id as authId',
        'a.name as accountName',
        'a.status as accountStatus',
        'f.rule',
        'f.day',
        'f.figures',
        'f.created_at as createdAt',
        'f.resolved_at as resolvedAt',
        'f.resolved_by as resolvedBy',
        'f.outcome',
        'f.note',
      ])
      .where((where) =>
        where.or([where('f.resolved_at', 'is', null), where('f.resolved_at', '>=', resolvedSince)]),
      )
      .orderBy(sql`f.resolved_at IS NULL`, 'desc')
      .orderBy(sql`CASE WHEN f.resolved_at IS NULL THEN f.created_at END`, 'asc')
      .orderBy('f.resolved_at', 'desc')
      .limit(limit)
      .execute();
  }
}
