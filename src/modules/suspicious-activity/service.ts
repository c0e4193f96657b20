import { Type } from '@sinclair/typebox';
import { type Db, inTransaction } from '../../db/database.js';
import type { SuspiciousActivityRule } from '../../db/schema.js';
import type { EventPayload } from '../../events/catalog.js';
import { defineJob } from '../../jobs/definition.js';
import type { Clock } from '../../lib/clock.js';
import { assertThat, Conflict, NotFound, ValidationFailed } from '../../lib/errors.js';
import type { IpCountries } from '../../lib/ip-countries.js';
import type { Suspensions } from '../accounts/suspensions.js';
import type { Actor, AuditLog } from '../audit/audit.js';
import { localDay } from '../billing/usage-summary.js';
import type { UsageSummaryStore } from '../billing/usage-summary.store.js';
import { SuspiciousActivityErrors } from './errors.js';
import {
  AVERAGE_DAYS,
  averageMicros,
  countriesOf,
  describeFlag,
  isSpendSpike,
  isTooManyCountries,
  ruleLabels,
  type SuspiciousActivitySettings,
} from './rules.js';
import { SuspiciousActivityStore } from './store.js';

const DAY_MS = 86_400_000;
const MAX_NOTE = 4000;
/** How long resolved flags stay in staff's Flagged list. */
const RESOLVED_SHOWN_DAYS = 30;
const SYSTEM: Actor = { ip: '127.0.0.1', userAgent: 'suspicious-activity-rules' };

export interface SuspiciousActivityDeps {
  db: Db;
  clock: Clock;
  audit: AuditLog;
  suspensions: Pick<Suspensions, 'suspend'>;
  usage: Pick<UsageSummaryStore, 'spendByDay' | 'byDay'>;
  ipCountries: () => IpCountries;
}

/** The day before or after a 'YYYY-MM-DD' day. */
function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/**
 * Suspicious activity from the operator's rules: spend in a day above N times the 30-day average
 * (once it reaches a floor), and sign-ins from more than N countries in a day. Days are the
 * account's local days, as its usage summary counts them; each run looks at today and yesterday, so
 * a day's last hour is not missed, and a rule fires at most once per account per day (the flag row is
 * the claim). A rule that fires holds the account for staff review (a flag in the staff console's
 * Flagged list; the account keeps working, and nobody is emailed) or, when the operator chooses,
 * suspends it for suspicious activity. Either way it is audited.
 */
export class SuspiciousActivity {
  readonly store: SuspiciousActivityStore;

  constructor(
    private readonly deps: SuspiciousActivityDeps,
    readonly settings: SuspiciousActivitySettings,
  ) {
    this.store = new SuspiciousActivityStore(deps.db);
  }

  /** One run of the rules over every active main account; answers how many flags it raised. */
  async review(): Promise<number> {
    const now = this.deps.clock.now();
    return (await this.reviewSpend(now)) + (await this.reviewSignIns(now));
  }

  /** Yesterday and today in an account's time zone. */
  private daysIn(timezone: string, now: Date): string[] {
    const today = localDay(now, timezone);
    return [addDays(today, -1), today];
  }

  private async reviewSpend(now: Date): Promise<number> {
    if (this.settings.spendFactor === 0) return 0;
    // Every account's today and yesterday fall within these UTC days, whatever its time zone.
    const spent = await this.deps.usage.spendByDay(
      addDays(now.toISOString().slice(0, 10), -2),
      addDays(now.toISOString().slice(0, 10), 1),
    );
    const candidates = new Map<string, typeof spent>();
    for (const row of spent) {
      if (row.amountMicros < this.settings.spendMinMicros) continue;
      candidates.set(row.accountId, [...(candidates.get(row.accountId) ?? []), row]);
    }
    const accounts = await this.store.activeMainAccounts([...candidates.keys()]);
    let raised = 0;
    for (const account of accounts) {
      const days = this.daysIn(account.timezone, now);
      for (const row of candidates.get(account.id) ?? []) {
        if (!days.includes(row.day)) continue;
        const previous = await this.deps.usage.byDay({
          accountId: account.id,
          from: addDays(row.day, -AVERAGE_DAYS),
          to: addDays(row.day, -1),
          product: null,
          owner: { kind: 'all' },
        });
        const previousMicros = previous.reduce((sum, day) => sum + day.amountMicros, 0n);
        const figures = { dayMicros: row.amountMicros, previousMicros };
        if (!isSpendSpike(figures, this.settings)) continue;
        const raisedNow = await this.raise(account.id, 'spend_spike', row.day, now, {
          dayMicros: row.amountMicros.toString(),
          averageMicros: averageMicros(previousMicros).toString(),
          factor: this.settings.spendFactor,
          minMicros: this.settings.spendMinMicros.toString(),
          currency: account.currency,
        });
        if (raisedNow) raised++;
      }
    }
    return raised;
  }

  private async reviewSignIns(now: Date): Promise<number> {
    if (this.settings.signInCountries === 0) return 0;
    // Yesterday's start in any time zone is at most two days (and the widest offset) ago.
    const signIns = await this.store.signInsSince(new Date(now.getTime() - 2 * DAY_MS - 14 * 3_600_000));
    const ipCountries = this.deps.ipCountries();
    const byDay = new Map<string, { accountId: string; day: string; countries: (string | null)[] }>();
    for (const signIn of signIns) {
      const day = localDay(signIn.at, signIn.timezone);
      if (!this.daysIn(signIn.timezone, now).includes(day)) continue;
      const key = `${signIn.accountId}|${day}`;
      const entry = byDay.get(key) ?? { accountId: signIn.accountId, day, countries: [] };
      entry.countries.push(signIn.ip ? ipCountries.countryOf(signIn.ip) : null);
      byDay.set(key, entry);
    }
    let raised = 0;
    for (const { accountId, day, countries: seen } of byDay.values()) {
      const countries = countriesOf(seen);
      if (!isTooManyCountries(countries, this.settings)) continue;
      const raisedNow = await this.raise(accountId, 'sign_in_countries', day, now, {
        countries,
        signIns: seen.length,
        limit: this.settings.signInCountries,
      });
      if (raisedNow) raised++;
    }
    return raised;
  }

  /** A rule fired: flag it once for the day, audited; suspend when the operator chose so. */
  private async raise(
    accountId: string,
    rule: SuspiciousActivityRule,
    day: string,
    now: Date,
    figures: Record<string, unknown>,
  ): Promise<boolean> {
    return inTransaction(this.deps.db, async () => {
      // Suspended since the rules read it (by staff, or by another rule of this run): nothing to hold.
      if (!(await this.store.lockActive(accountId))) return false;
      if (!(await this.store.claim({ accountId, rule, day, figures, at: now }))) return false;
      await this.deps.audit.record(SYSTEM, {
        action: 'account.suspicious_activity_flagged',
        accountId,
        details: { rule, day, ...figures, action: this.settings.action },
      });
      if (this.settings.action === 'suspend') {
        await this.deps.suspensions.suspend(
          SYSTEM,
          accountId,
          {
            reason: 'suspicious_activity',
            details: `${ruleLabels[rule]}. ${describeFlag(rule, day, figures)}`,
          },
          'system',
        );
      }
      return true;
    });
  }

  /** `account.status_changed`: a suspension resolves the account's open flags (staff acted on them, or the rule did). */
  async onStatusChanged(event: EventPayload<'account.status_changed'>): Promise<void> {
    if (event.to !== 'suspended') return;
    await this.store.resolveOpen(event.accountId, {
      at: this.deps.clock.now(),
      by: event.by,
      outcome: 'suspended',
    });
  }

  /** Staff's Flagged list: open flags, oldest first, then those resolved in the last 30 days. */
  async flagged() {
    const since = new Date(this.deps.clock.now().getTime() - RESOLVED_SHOWN_DAYS * DAY_MS);
    const rows = await this.store.list(since, 200);
    return rows.map(({ figures, ...row }) => ({
      ...row,
      ruleLabel: ruleLabels[row.rule],
      summary: describeFlag(row.rule, row.day, figures),
    }));
  }

  /** Staff clear a flag with a note: the activity was looked at and is fine. */
  async clear(actor: Actor & { staffId: string }, flagId: string, note: string): Promise<void> {
    const trimmed = note.trim();
    assertThat(
      trimmed.length > 0 && trimmed.length <= MAX_NOTE,
      ValidationFailed(SuspiciousActivityErrors.noteRequired, 'Write a note: why the activity is fine.', [
        { field: 'note', message: 'required, at most 4,000 characters' },
      ]),
    );
    await inTransaction(this.deps.db, async () => {
      const cleared = await this.store.clear(flagId, {
        at: this.deps.clock.now(),
        by: `staff:${actor.staffId}`,
        note: trimmed,
      });
      if (!cleared) {
        assertThat(
          await this.store.exists(flagId),
          NotFound(SuspiciousActivityErrors.flagNotFound, 'Flag not found.'),
        );
        throw Conflict(SuspiciousActivityErrors.flagResolved, 'This flag is already resolved.');
      }
      await this.deps.audit.record(actor, {
        action: 'account.suspicious_activity_cleared',
        accountId: cleared.accountId,
        details: { rule: cleared.rule, day: cleared.day, note: trimmed },
      });
    });
  }
}

export const SUSPICIOUS_ACTIVITY_JOB = 'accounts.suspicious-activity-review';

/** Runs the suspicious-activity rules once an hour (idempotent: a rule's flag for a day is claimed once). */
export function suspiciousActivityJob(rules: Pick<SuspiciousActivity, 'review'>) {
  return defineJob({
    name: SUSPICIOUS_ACTIVITY_JOB,
    payload: Type.Object({}),
    schedule: { everySeconds: 3600 },
    handle: async () => {
      await rules.review();
    },
  });
}
