import type { Db } from '../../db/database.js';
import { inTransaction } from '../../db/database.js';
import type { Role } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { isCalendarDate } from '../../lib/dates.js';
import { assertThat, NotFound, ValidationFailed } from '../../lib/errors.js';
import { displayMoney, money } from '../../lib/money.js';
import { messages, type UsageSummaryRow } from '../../notify/messages.js';
import type { OutgoingMessage } from '../../notify/outbox.js';
import type { ApiScope } from '../accounts/scope.js';
import type { Actor, AuditLog } from '../audit/audit.js';
import { UsageErrors } from './errors.js';
import {
  type LineTotal,
  type RecordCursor,
  type RecordPage,
  type SummaryProduct,
  type UsageOwner,
  type UsageSelection,
  UsageSummaryStore,
} from './usage-summary.store.js';

export const USAGE_PRODUCTS: readonly SummaryProduct[] = ['voice', 'sms', 'mms', 'numbers'];

/** What a usage quantity counts, per product. */
export const UNITS: Record<SummaryProduct, string> = {
  voice: 'seconds',
  sms: 'segments',
  mms: 'segments',
  numbers: 'number-months',
};

/** The longest range one summary covers: a year, leap day included. */
export const MAX_DAYS = 366;

/**
 * Who may ask for the daily usage summary email: those who may read the Usage Summary (ANSWERS.md
 * "Roles for money"). Support reads usage, so Support may have it mailed too: the email shows nothing
 * the page does not (docs/decisions.md).
 */
export const SUMMARY_EMAIL_ROLES: readonly Role[] = ['owner', 'admin', 'financial_analyst', 'support'];

/** The daily summary of yesterday goes out once the account's local time passes this hour. */
export const SUMMARY_SEND_HOUR = 6;

/**
 * Records read per page of the CSV export. Smaller pages leave less to the old generation's
 * collector: exporting 200,000 records (fetch and CSV, no HTTP) peaked 121 MB over idle with pages of
 * 5,000, 89 MB with 2,000, 60 MB with 1,000 and 48 MB with 500, in about the same time.
 */
export const EXPORT_PAGE_SIZE = 1000;

/** What a caller asks: strings as they arrive; the service checks them. */
export interface UsageFilterInput {
  from?: string | undefined;
  to?: string | undefined;
  product?: string | undefined;
  subaccount?: string | undefined;
}

/** A checked filter, with what its answers need to name subaccounts and money. */
export interface ResolvedUsageFilter extends UsageSelection {
  timezone: string;
  currency: string;
  mainAuthId: string;
  /** The account's subaccounts by id. */
  subaccounts: Map<string, { authId: string; name: string }>;
}

const dayMs = 86_400_000;
const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / dayMs;

/** The calendar day of a moment in a time zone: 'YYYY-MM-DD'. */
export function localDay(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);
}

/**
 * Billing > Usage Summary, the usage API and the daily usage summary email. Summaries read only the
 * daily rollups (usage_daily: per account, subaccount, local day, product and direction), never the
 * records; the export reads the records a keyset page at a time. An account sees its own and its
 * subaccounts' usage; a subaccount's credentials see only its own.
 */
export class UsageSummaryService {
  readonly store: UsageSummaryStore;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly outbox: { enqueue(message: OutgoingMessage): Promise<void> },
    private readonly audit: AuditLog,
    private readonly exportPageSize = EXPORT_PAGE_SIZE,
  ) {
    this.store = new UsageSummaryStore(db);
  }

  /**
   * Checks a filter: days are the account's local days, YYYY-MM-DD, from ≤ to, at most a year apart
   * (default: the month so far); product one of voice, sms, mms, numbers; subaccount the main Auth ID
   * or one of the account's subaccounts' (a subaccount caller: only its own).
   */
  async resolve(scope: ApiScope, input: UsageFilterInput): Promise<ResolvedUsageFilter> {
    const account = await this.store.accountOf(scope.mainAccountId);
    if (!account) throw NotFound('account_not_found', 'Account not found.');
    for (const [field, value] of [
      ['from', input.from],
      ['to', input.to],
    ] as const) {
      assertThat(
        value === undefined || value === '' || isCalendarDate(value),
        ValidationFailed(UsageErrors.invalidDate, `${field} must be a day such as 2026-11-25.`, [
          { field, message: 'a day such as 2026-11-25' },
        ]),
      );
    }
    const to = input.to || localDay(this.clock.now(), account.timezone);
    const from = input.from || `${to.slice(0, 8)}01`;
    const days = dayNumber(to) - dayNumber(from) + 1;
    assertThat(
      days >= 1 && days <= MAX_DAYS,
      ValidationFailed(
        UsageErrors.invalidDateRange,
        days < 1 ? 'from must not be after to.' : `A summary covers at most ${MAX_DAYS} days.`,
        [{ field: 'from', message: days < 1 ? 'after to' : `more than ${MAX_DAYS} days before to` }],
      ),
    );
    const product = input.product ? input.product.trim().toLowerCase() : '';
    assertThat(
      product === '' || USAGE_PRODUCTS.includes(product as SummaryProduct),
      ValidationFailed(UsageErrors.invalidProduct, 'product must be voice, sms, mms or numbers.', [
        { field: 'product', message: 'voice, sms, mms or numbers' },
      ]),
    );
    const subaccounts = new Map(account.subaccounts.map((s) => [s.id, { authId: s.authId, name: s.name }]));
    return {
      accountId: account.id,
      from,
      to,
      product: (product || null) as SummaryProduct | null,
      owner: this.#ownerOf(scope, account.auth_id, account.subaccounts, input.subaccount?.trim()),
      timezone: account.timezone,
      currency: account.currency,
      mainAuthId: account.auth_id,
      subaccounts,
    };
  }

  #ownerOf(
    scope: ApiScope,
    mainAuthId: string,
    subaccounts: { id: string; authId: string }[],
    named: string | undefined,
  ): UsageOwner {
    const unknown = () =>
      ValidationFailed(
        UsageErrors.unknownSubaccount,
        `subaccount ${named} is not a subaccount of this account.`,
        [{ field: 'subaccount', message: 'not a subaccount of this account' }],
      );
    if (scope.subaccount) {
      assertThat(!named || named === scope.subaccount.authId, unknown);
      return { kind: 'subaccount', id: scope.subaccount.id };
    }
    if (!named) return { kind: 'all' };
    if (named === mainAuthId) return { kind: 'main' };
    const subaccount = subaccounts.find((s) => s.authId === named);
    assertThat(subaccount, unknown);
    return { kind: 'subaccount', id: subaccount.id };
  }

  /** The filter's totals per day (the chart) and per product and subaccount (the table). */
  async summary(filter: ResolvedUsageFilter) {
    const [days, lines] = await Promise.all([this.store.byDay(filter), this.store.byLine(filter)]);
    return { days, lines };
  }

  /** A subaccount's Auth ID and name, or null for the main account. */
  subaccountOf(filter: ResolvedUsageFilter, line: Pick<LineTotal, 'subaccountId'>) {
    if (!line.subaccountId) return null;
    return filter.subaccounts.get(line.subaccountId) ?? { authId: line.subaccountId, name: '' };
  }

  /**
   * The filter's usage records as CSV lines, oldest first, a page (of the export page size) per
   * chunk. While a page is written the next one is read (the database works while this process
   * sends), and no further: an export of any size holds two pages in memory.
   */
  async *records(filter: ResolvedUsageFilter): AsyncGenerator<string> {
    if (filter.product === 'numbers') return; // rentals are ledger entries and daily totals, not records
    const size = this.exportPageSize;
    const read = (after: RecordCursor | null) => {
      const page = this.store.recordPage(filter, filter.timezone, after, size);
      page.catch(() => {}); // awaited below; an export abandoned meanwhile must not leave it unhandled
      return page;
    };
    let next: Promise<RecordPage> | null = read(null);
    while (next) {
      const page: RecordPage = await next;
      next = page.last && page.records === size ? read(page.last) : null;
      if (page.records > 0) yield page.csv;
    }
  }

  /** Whether the member gets the daily usage summary email. */
  async emailSetting(accountId: string, userId: string): Promise<boolean> {
    return (await this.store.emailSetting(accountId, userId)) ?? false;
  }

  /** Turns the member's daily usage summary email on or off (audited). */
  async setEmailSetting(actor: Actor & { userId: string }, accountId: string, enabled: boolean) {
    await inTransaction(this.db, async () => {
      const changed = await this.store.setEmailSetting(accountId, actor.userId, enabled);
      assertThat(changed, NotFound('member_not_found', 'You are not a member of this account.'));
      await this.audit.record(actor, {
        action: 'member.usage_summary_email_changed',
        accountId,
        details: { enabled },
      });
    });
    return enabled;
  }

  /**
   * The daily usage summary email: for each active account whose local time has passed
   * SUMMARY_SEND_HOUR, yesterday's (local) usage by product, to the members who asked for it and may
   * read usage. Claimed per (account, day) in the same transaction as the emails, so it goes once
   * whichever instance's hourly run gets there first, and again never. Answers the accounts mailed.
   */
  async sendDueSummaries(): Promise<number> {
    const now = this.clock.now();
    const due = await this.store.dueAccounts(now, SUMMARY_SEND_HOUR, SUMMARY_EMAIL_ROLES);
    let sent = 0;
    for (const account of due) {
      const mailed = await inTransaction(this.db, async () => {
        const recipients = await this.store.recipients(account.id, SUMMARY_EMAIL_ROLES);
        if (recipients.length === 0) return false;
        if (!(await this.store.claimSummary(account.id, account.day, recipients.length))) return false;
        const lines = await this.store.byLine({
          accountId: account.id,
          from: account.day,
          to: account.day,
          product: null,
          owner: { kind: 'all' },
        });
        const rows = productRows(account.currency, lines);
        const total = displayMoney(
          money(
            lines.reduce((sum, line) => sum + line.amountMicros, 0n),
            account.currency,
          ),
          'en-US',
        );
        for (const recipient of recipients) {
          const message = messages.usageSummary(
            recipient.name,
            account.name,
            account.day,
            account.timezone,
            rows,
            total,
          );
          await this.outbox.enqueue({ channel: 'email', to: recipient.email, ...message });
        }
        return true;
      });
      if (mailed) sent++;
    }
    return sent;
  }
}

/** Yesterday's usage per product, all subaccounts together, as the email lists it. */
function productRows(currency: string, lines: LineTotal[]): UsageSummaryRow[] {
  const show = (micros: bigint) => displayMoney(money(micros, currency), 'en-US');
  return USAGE_PRODUCTS.map((product) => {
    const ofProduct = lines.filter((line) => line.product === product);
    const sum = (pick: (line: LineTotal) => bigint) =>
      ofProduct.reduce((total, line) => total + pick(line), 0n);
    return {
      product: PRODUCT_NAMES[product],
      events: sum((line) => line.events),
      quantity: `${sum((line) => line.quantity)} ${UNITS[product]}`,
      amount: show(sum((line) => line.amountMicros)),
    };
  });
}

const PRODUCT_NAMES: Record<SummaryProduct, string> = {
  voice: 'Voice',
  sms: 'SMS',
  mms: 'MMS',
  numbers: 'Numbers',
};
