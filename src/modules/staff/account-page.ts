import type { Clock } from '../../lib/clock.js';
import { formatMoney } from '../../lib/money.js';
import type { AccountLifecycle } from '../accounts/lifecycle.js';
import type { AccountService } from '../accounts/service.js';
import type { Suspensions } from '../accounts/suspensions.js';
import type { AuditLog } from '../audit/audit.js';
import type { Ledger } from '../billing/ledger.js';
import type { TransactionHistory } from '../billing/transactions.js';
import { localDay, UNITS, type UsageSummaryService } from '../billing/usage-summary.js';
import type { SummaryProduct } from '../billing/usage-summary.store.js';
import type { CreditControl } from '../credit-control/service.js';
import type { NumberService } from '../numbers/service.js';
import type { SupportService } from '../support/service.js';
import type { TeamService } from '../team/service.js';

/** How many of each list the account page shows: the latest N, stated in the answer. */
export const ACCOUNT_PAGE_LATEST = {
  statusChanges: 50,
  ledgerEntries: 20,
  numbers: 100,
  tickets: 20,
  auditEvents: 50,
} as const;

/** The usage the page shows: the last 30 days, today included, in the account's time zone. */
export const ACCOUNT_PAGE_USAGE_DAYS = 30;

/** The services whose reads the account page composes (the System fits); it queries nothing itself. */
export interface StaffAccountPageDeps {
  clock: Clock;
  accounts: Pick<AccountService, 'staffDetails'> & { lifecycle: Pick<AccountLifecycle, 'history'> };
  suspensions: Pick<Suspensions, 'history'>;
  team: Pick<TeamService, 'membersForStaff'>;
  ledger: Pick<Ledger, 'balance'>;
  transactions: Pick<TransactionHistory, 'page'>;
  usageSummary: Pick<UsageSummaryService, 'resolve' | 'summary'>;
  numbers: Pick<NumberService, 'page'>;
  support: Pick<SupportService, 'staffTicketsOfAccount'>;
  audit: Pick<AuditLog, 'ofAccount'>;
  credit: Pick<CreditControl, 'openSessions'>;
}

const actorOf = (event: { staffName: string | null; staffEmail: string | null; userEmail: string | null }) =>
  event.staffName
    ? { kind: 'staff' as const, name: event.staffName, email: event.staffEmail }
    : event.userEmail
      ? { kind: 'member' as const, name: null, email: event.userEmail }
      : { kind: 'system' as const, name: null, email: null };

/**
 * The staff console's account page: one main account's status and lifecycle history, members,
 * balance and latest ledger entries, usage of the last 30 days by product, rented numbers, tickets,
 * latest audit events, inactivity flag and open engine sessions. Reading it changes nothing and is
 * not audited; the actions it offers are the staff routes that audit themselves.
 */
export class StaffAccountPage {
  constructor(private readonly deps: StaffAccountPageDeps) {}

  /** One account's page; an unknown id, or a subaccount's, answers 404. */
  async view(accountId: string) {
    const { deps } = this;
    const latest = ACCOUNT_PAGE_LATEST;
    const account = await deps.accounts.staffDetails(accountId);
    const [statusHistory, suspensions, members, balance, ledger, usage, numbers, tickets, audit, sessions] =
      await Promise.all([
        deps.accounts.lifecycle.history(accountId, latest.statusChanges),
        deps.suspensions.history(accountId),
        deps.team.membersForStaff(accountId),
        deps.ledger.balance(accountId),
        deps.transactions.page(accountId, {}, latest.ledgerEntries, 0),
        this.usage(account),
        deps.numbers.page(
          { mainAccountId: accountId, mainAuthId: account.authId, subaccount: null },
          {},
          latest.numbers,
          0,
        ),
        deps.support.staffTicketsOfAccount(accountId, latest.tickets),
        deps.audit.ofAccount(accountId, { limit: latest.auditEvents }),
        deps.credit.openSessions(accountId),
      ]);
    return {
      latest,
      account,
      statusHistory,
      suspensions,
      members,
      balance: { balanceMicros: balance.micros.toString(), currency: balance.currency },
      ledger: { entries: ledger.transactions, total: ledger.total },
      usage,
      numbers: {
        total: numbers.total,
        numbers: numbers.rows.map((row) => ({
          number: row.number,
          countryIso: row.country_iso,
          type: row.number_type,
          region: row.region,
          subaccount: row.subaccount_auth_id,
          alias: row.alias,
          monthlyRentalMicros: row.monthly_rental_micros.toString(),
          addedOn: row.added_on,
          renewalDate: row.renewal_date,
        })),
      },
      tickets,
      audit: audit.map((event) => ({
        id: event.id.toString(),
        at: event.at,
        action: event.action,
        by: actorOf(event),
        ip: event.ip,
        details: event.details ?? {},
      })),
      engineSessions: {
        open: sessions.count,
        heldMicros: sessions.heldMicros.toString(),
        currency: sessions.currency,
      },
    };
  }

  /** Usage of the last 30 days (the account's own days), per day and per product, subaccounts included. */
  private async usage(account: { id: string; authId: string; timezone: string }) {
    const to = localDay(this.deps.clock.now(), account.timezone);
    const from = new Date(Date.parse(`${to}T00:00:00Z`) - (ACCOUNT_PAGE_USAGE_DAYS - 1) * 86_400_000)
      .toISOString()
      .slice(0, 10);
    const filter = await this.deps.usageSummary.resolve(
      { mainAccountId: account.id, mainAuthId: account.authId, subaccount: null },
      { from, to },
    );
    const { days, lines } = await this.deps.usageSummary.summary(filter);
    const byProduct = new Map<SummaryProduct, { events: bigint; quantity: bigint; amountMicros: bigint }>();
    for (const line of lines) {
      const sum = byProduct.get(line.product) ?? { events: 0n, quantity: 0n, amountMicros: 0n };
      byProduct.set(line.product, {
        events: sum.events + line.events,
        quantity: sum.quantity + line.quantity,
        amountMicros: sum.amountMicros + line.amountMicros,
      });
    }
    const total = [...byProduct.values()].reduce(
      (sum, p) => ({ events: sum.events + p.events, amountMicros: sum.amountMicros + p.amountMicros }),
      { events: 0n, amountMicros: 0n },
    );
    return {
      from,
      to,
      timezone: filter.timezone,
      currency: filter.currency,
      days: days.map((day) => ({
        day: day.day,
        events: String(day.events),
        amount: formatMoney(day.amountMicros),
      })),
      products: [...byProduct].map(([product, sum]) => ({
        product,
        events: String(sum.events),
        quantity: String(sum.quantity),
        unit: UNITS[product],
        amount: formatMoney(sum.amountMicros),
      })),
      total: { events: String(total.events), amount: formatMoney(total.amountMicros) },
    };
  }
}
