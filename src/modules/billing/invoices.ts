import { createHash } from 'node:crypto';
import { type Db, inTransaction } from '../../db/database.js';
import type { Role, UsageProduct } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { NotFound } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { money } from '../../lib/money.js';
import { messages } from '../../notify/messages.js';
import type { OutgoingMessage } from '../../notify/outbox.js';
import type { Actor, AuditLog } from '../audit/audit.js';
import { membersWithRoles } from '../team/recipients.js';
import { type InvoiceFacts, monthForPeople, renderInvoice } from './documents.js';
import { InvoiceErrors } from './errors.js';
import { type InvoiceRow, InvoiceStore } from './invoices.store.js';

/** Invoices are mailed to the Owner and the Financial Analysts (issue 13). */
export const INVOICE_RECIPIENT_ROLES: readonly Role[] = ['owner', 'financial_analyst'];

/**
 * A month is invoiced once it ended this long ago in the account's zone: no transaction that began
 * before its end (and so dates its entries inside it) can still be open.
 */
export const INVOICE_GRACE_MINUTES = 60;

/** INV-000001: the operator's sequence, six digits at least. */
export const invoiceNumber = (number: bigint) => `INV-${number.toString().padStart(6, '0')}`;

const PRODUCT_NAMES: Record<UsageProduct, string> = { voice: 'Voice', sms: 'SMS', mms: 'MMS' };
const UNITS: Record<UsageProduct, string> = { voice: 'seconds', sms: 'segments', mms: 'segments' };

const SYSTEM: Actor = { ip: 'system', userAgent: null };

/** The day before a 'YYYY-MM-01' month's next month: its last day. */
function lastDayOf(period: string): string {
  const [year, month] = period.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
}

/** An issued invoice as the console lists it. */
export interface InvoiceSummary extends InvoiceRow {
  numberText: string;
}

/**
 * Billing > Invoices: one consolidated invoice per main account and local calendar month, numbered
 * in the operator's one gapless sequence, issued by the hourly job once the month has ended in the
 * account's zone, stored as the PDF it was issued as (never changed), and mailed to the Owner and
 * the Financial Analysts.
 */
export class InvoiceService {
  readonly store: InvoiceStore;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly outbox: { enqueue(message: OutgoingMessage): Promise<void> },
    private readonly audit: AuditLog,
    private readonly settings: { operatorName: string; publicUrl: string },
    private readonly graceMinutes = INVOICE_GRACE_MINUTES,
  ) {
    this.store = new InvoiceStore(db);
  }

  /**
   * Issues every invoice due now, oldest month first per account; answers the numbers issued, or
   * throws (after trying every account) when one could not be issued.
   */
  async issueDue(): Promise<string[]> {
    const due = await this.store.due(this.clock.now(), this.graceMinutes);
    const issued: string[] = [];
    const failed: unknown[] = [];
    for (const { accountId, period } of due) {
      // One account's failure must not hold back the others; the job's retry takes it up again.
      try {
        const number = await this.issue(accountId, period);
        if (number) issued.push(number);
      } catch (error) {
        failed.push(error);
      }
    }
    if (failed.length > 0)
      throw new AggregateError(failed, `${failed.length} invoice(s) could not be issued`);
    return issued;
  }

  /**
   * Issues the invoice of (account, month) unless it exists: in one transaction that locks the
   * operator's counter, checks the month is not invoiced, takes the next number, renders, stores,
   * audits and mails. Whoever gets the lock second sees the first one's invoice and does nothing, and
   * a transaction that fails gives its number back: numbers are sequential without gaps.
   */
  async issue(accountId: string, period: string): Promise<string | null> {
    if (!/^\d{4}-(0[1-9]|1[0-2])-01$/.test(period))
      throw new Error(`A period is a month's first day: ${period}`);
    return inTransaction(this.db, async () => {
      const last = await this.store.lockCounter();
      if (await this.store.isInvoiced(accountId, period)) return null;
      // A closed account purged after the retention (which holds this lock while it deletes) has nothing left to invoice.
      if (await this.store.isPurged(accountId)) return null;
      const number = last + 1n;
      const facts = await this.facts(accountId, period, invoiceNumber(number));
      const pdf = await renderInvoice(facts);
      const pdfSha256 = createHash('sha256').update(pdf).digest('hex');
      const { debits, credits } = await this.store.debitsAndCredits(accountId, facts.start, facts.end);
      await this.store.insert({
        id: newId(),
        number,
        accountId,
        period,
        timezone: facts.timeZone,
        start: facts.start,
        end: facts.end,
        currency: facts.currency,
        openingMicros: facts.opening.micros,
        debitsMicros: debits,
        creditsMicros: credits,
        closingMicros: facts.closing.micros,
        facts: JSON.stringify(facts, (_key, value) => (typeof value === 'bigint' ? value.toString() : value)),
        pdf,
        pdfSha256,
        issuedAt: facts.issuedAt,
      });
      await this.store.setCounter(number);
      await this.audit.record(SYSTEM, {
        action: 'invoice.issued',
        accountId,
        details: { number: facts.number, period: facts.period, pdfSha256 },
      });
      const link = `${this.settings.publicUrl}/billing/invoices`;
      for (const recipient of await membersWithRoles(this.db, accountId, INVOICE_RECIPIENT_ROLES)) {
        const message = messages.invoiceIssued(
          recipient.name,
          facts.accountName,
          facts.number,
          monthForPeople(facts.period),
          facts.closing,
          link,
        );
        await this.outbox.enqueue({ channel: 'email', to: recipient.email, ...message });
      }
      return facts.number;
    });
  }

  /**
   * What the invoice of (account, month) says, from the ledger: the opening balance is the sum of
   * the entries before the month, the closing balance that plus the month's entries; usage per
   * product and subaccount is the month's days' usage, with the difference to the usage the ledger
   * charged in the month shown on its own line so that the invoice adds up to the ledger exactly.
   */
  async facts(accountId: string, period: string, number: string): Promise<InvoiceFacts> {
    const account = await this.store.account(accountId);
    if (!account) throw new Error(`No main account ${accountId}`);
    const { currency, timezone } = account;
    const { start, end } = await this.store.bounds(accountId, period, timezone);
    // One after the other: inside the issuing transaction they share its one connection.
    const openingMicros = await this.store.balanceBefore(accountId, start);
    const kinds = await this.store.kinds(accountId, start, end);
    const usage = await this.store.usage(accountId, period, lastDayOf(period));
    const rentals = await this.store.rentals(accountId, start, end);
    const entries = await this.store.listedEntries(accountId, start, end);
    const subaccounts = await this.store.subaccounts(accountId);
    const named = (id: string | null) =>
      id === null ? null : (subaccounts.get(id) ?? { name: 'Deleted subaccount', authId: id });
    const monthMicros = kinds.reduce((sum, kind) => sum + kind.micros, 0n);
    const chargedUsage = -(kinds.find((kind) => kind.kind === 'charge')?.micros ?? 0n);
    const usageOfDays = usage.reduce((sum, line) => sum + line.micros, 0n);
    return {
      operatorName: this.settings.operatorName,
      number,
      issuedAt: this.clock.now(),
      accountName: account.name,
      authId: account.authId,
      timeZone: timezone,
      period: period.slice(0, 7),
      start,
      end,
      currency,
      opening: money(openingMicros, currency),
      activity: kinds.map((kind) => ({
        kind: kind.kind,
        entries: kind.entries,
        amount: money(kind.micros, currency),
      })),
      closing: money(openingMicros + monthMicros, currency),
      usage: usage.map((line) => ({
        subaccount: named(line.subaccountId),
        product: PRODUCT_NAMES[line.product],
        events: line.events,
        quantity: `${line.quantity} ${UNITS[line.product]}`,
        amount: money(line.micros, currency),
      })),
      usageChargedOutsideItsMonth: money(chargedUsage - usageOfDays, currency),
      rentals: rentals.map((line) => ({
        subaccount: named(line.subaccountId),
        numbers: line.numbers,
        amount: money(line.micros, currency),
      })),
      entries: entries.map((entry) => ({
        at: entry.at,
        kind: entry.kind,
        description: entry.description ?? entry.reference ?? '',
        amount: money(entry.micros, currency),
      })),
    };
  }

  /** The account's invoices, newest month first, and when the current month's invoice comes. */
  async list(accountId: string) {
    const [invoices, current] = await Promise.all([
      this.store.list(accountId),
      this.store.currentMonth(accountId, this.clock.now()),
    ]);
    if (!current) throw NotFound(InvoiceErrors.accountNotFound, 'Account not found.');
    return {
      invoices: invoices.map((row) => ({ ...row, numberText: invoiceNumber(row.number) })),
      next: {
        period: current.period,
        issuedAfter: new Date(current.end.getTime() + this.graceMinutes * 60_000),
      },
    };
  }

  /** An invoice's PDF exactly as issued; another account's invoice is not found. */
  async pdf(accountId: string, invoiceId: string): Promise<{ fileName: string; pdf: Buffer }> {
    const found = await this.store.pdf(accountId, invoiceId);
    if (!found) throw NotFound(InvoiceErrors.notFound, 'No invoice of this account has this id.');
    return { fileName: `${invoiceNumber(found.number)}.pdf`, pdf: Buffer.from(found.pdf) };
  }
}
