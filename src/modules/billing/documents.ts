import PDFDocument from 'pdfkit';
import type { LedgerEntryKind } from '../../db/schema.js';
import { displayMoney, type Money } from '../../lib/money.js';
import { timeForPeople } from '../../notify/messages.js';

/**
 * Billing's documents as PDF (pdfkit): the receipt of a payment and the monthly invoice. Each is a
 * pure function of its facts: the same facts give the same bytes (the creation date is the facts'
 * own moment), so a document can be rendered again and compared. Only the standard Helvetica fonts
 * are used: nothing is embedded, and a page of text stays a few kilobytes.
 */

/** A subaccount as documents name it; null lines are the main account's own. */
export interface DocumentSubaccount {
  name: string;
  authId: string;
}

/** What a receipt of one payment says. The payments work builds it; renderReceipt only renders it. */
export interface ReceiptFacts {
  /** The operator issuing the receipt (config `operatorName`). */
  operatorName: string;
  receiptNumber: string;
  accountName: string;
  /** The main account's Auth ID (MA…). */
  authId: string;
  paidAt: Date;
  /** The account's time zone (IANA) for the date paid; UTC when absent. */
  timeZone?: string;
  amount: Money;
  /** How it was paid, as people read it: "Visa •••• 4242", "Test card •••• 4242". */
  paymentMethod: string;
  /** The gateway's id of the payment (a Stripe PaymentIntent id, the test gateway's id). */
  gatewayPaymentId: string;
  /** The balance once the payment was credited. */
  newBalance: Money;
}

/** Usage of one product by the main account (subaccount null) or one subaccount, by day of use. */
export interface InvoiceUsageLine {
  subaccount: DocumentSubaccount | null;
  product: string;
  events: bigint;
  /** The quantity with its unit: "125 seconds", "3 segments". */
  quantity: string;
  /** What it cost (positive). */
  amount: Money;
}

/** Number rentals charged in the month, per holder. */
export interface InvoiceRentalLine {
  subaccount: DocumentSubaccount | null;
  numbers: number;
  /** What they cost (positive). */
  amount: Money;
}

/** A ledger entry listed one by one: recharges, refunds, adjustments, trial credit. */
export interface InvoiceEntryLine {
  at: Date;
  kind: LedgerEntryKind;
  description: string;
  /** Signed as in the ledger: credits positive. */
  amount: Money;
}

/** The month's ledger entries of one kind, summed (signed as in the ledger). */
export interface InvoiceActivity {
  kind: LedgerEntryKind;
  entries: number;
  amount: Money;
}

/** What a monthly invoice says: the facts it is rendered from, stored with it. */
export interface InvoiceFacts {
  operatorName: string;
  /** INV-000001 */
  number: string;
  issuedAt: Date;
  accountName: string;
  authId: string;
  timeZone: string;
  /** The local calendar month: "2026-11". */
  period: string;
  /** The month's first and last moments as instants: entries at or after `start` and before `end`. */
  start: Date;
  end: Date;
  currency: string;
  /** The ledger's sum before `start`. */
  opening: Money;
  /** Every kind that had entries in the month, in the ledger's sums. */
  activity: InvoiceActivity[];
  /** opening plus the month's entries: the ledger's sum before `end`. */
  closing: Money;
  usage: InvoiceUsageLine[];
  /**
   * Usage charges the ledger posted in the month minus the usage of the month's days (both
   * positive): usage of earlier days charged in this month, less this month's usage charged after
   * it. Zero when they agree.
   */
  usageChargedOutsideItsMonth: Money;
  rentals: InvoiceRentalLine[];
  /** Recharges, refunds, adjustments and trial credit, one by one. */
  entries: InvoiceEntryLine[];
}

export const KIND_LABELS: Record<LedgerEntryKind, string> = {
  recharge: 'Recharges',
  refund: 'Refunds',
  adjustment: 'Adjustments',
  trial_credit: 'Trial credit',
  charge: 'Usage',
  rental: 'Number rentals',
  reversal: 'Payments reversed',
};

/** The order the summary lists kinds in: what came in, then what was used. */
const KIND_ORDER: LedgerEntryKind[] = [
  'recharge',
  'trial_credit',
  'adjustment',
  'refund',
  'reversal',
  'charge',
  'rental',
];

const PAGE = { margin: 50, width: 595.28, height: 841.89 };
const CONTENT_WIDTH = PAGE.width - 2 * PAGE.margin;
const ROW = 15;

/**
 * An amount as the PDF shows it: the console's rendering ("$12.50", "€0.0085") when the standard
 * font can draw its symbol, else the currency's code ("INR 12.50").
 */
export function documentMoney(amount: Money): string {
  const shown = displayMoney(amount, 'en-US');
  if (!/[^\x20-\x7e\u00a0-\u00ff\u20ac]/.test(shown)) return shown;
  return `${amount.currency} ${shown.replace(/[^\d.,-]/g, '')}`;
}

function dayForPeople(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone,
  }).format(at);
}

/** "November 2026" of "2026-11". */
export function monthForPeople(period: string): string {
  const [year, month] = period.split('-').map(Number) as [number, number];
  return new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(Date.UTC(year, month - 1, 1)),
  );
}

function startDocument(title: string, author: string, at: Date, compress: boolean) {
  return new PDFDocument({
    size: 'A4',
    margin: PAGE.margin,
    compress,
    info: { Title: title, Author: author, Creator: author, Producer: 'Switchboard', CreationDate: at },
  });
}

function finish(doc: PDFKit.PDFDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}

interface Column {
  width: number;
  align?: 'left' | 'right';
}

/** Writes rows of cells at fixed columns, starting a new page (and repeating the header) when full. */
class Table {
  #y: number;
  constructor(
    private readonly doc: PDFKit.PDFDocument,
    private readonly columns: Column[],
    private readonly header: string[] | null,
  ) {
    this.#y = doc.y;
    if (header) this.row(header, { bold: true });
  }

  row(cells: string[], options: { bold?: boolean; rule?: boolean } = {}) {
    const { doc } = this;
    if (this.#y + ROW > PAGE.height - PAGE.margin) {
      doc.addPage();
      this.#y = PAGE.margin;
      if (this.header && !options.bold) this.row(this.header, { bold: true });
    }
    if (options.rule) {
      doc
        .moveTo(PAGE.margin, this.#y - 2)
        .lineTo(PAGE.margin + CONTENT_WIDTH, this.#y - 2)
        .lineWidth(0.5)
        .stroke();
    }
    doc.font(options.bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(9);
    let x = PAGE.margin;
    cells.forEach((cell, i) => {
      const column = this.columns[i] as Column;
      doc.text(cell, x, this.#y, {
        width: column.width - 6,
        align: column.align ?? 'left',
        lineBreak: false,
        ellipsis: true,
        height: ROW,
      });
      x += column.width;
    });
    this.#y += ROW;
    doc.x = PAGE.margin;
    doc.y = this.#y;
  }

  end() {
    this.doc.x = PAGE.margin;
    this.doc.y = this.#y + 8;
  }
}

function heading(doc: PDFKit.PDFDocument, text: string) {
  if (doc.y + 3 * ROW > PAGE.height - PAGE.margin) doc.addPage();
  doc.moveDown(0.5);
  doc.font('Helvetica-Bold').fontSize(11).text(text, PAGE.margin, doc.y);
  doc.moveDown(0.3);
}

function letterhead(doc: PDFKit.PDFDocument, operatorName: string, title: string, number: string) {
  doc.font('Helvetica-Bold').fontSize(16).text(operatorName, PAGE.margin, PAGE.margin);
  doc.font('Helvetica').fontSize(12).text(`${title} ${number}`);
  doc.moveDown(0.8);
}

/** Label and value pairs, two columns. */
function facts(doc: PDFKit.PDFDocument, pairs: [string, string][]) {
  const table = new Table(doc, [{ width: 150 }, { width: CONTENT_WIDTH - 150 }], null);
  for (const [label, value] of pairs) table.row([label, value]);
  table.end();
}

/** A line's holder; a long name is shortened so that the Auth ID always shows. */
const holder = (subaccount: DocumentSubaccount | null) => {
  if (!subaccount) return 'Main account';
  const name = subaccount.name.length > 22 ? `${subaccount.name.slice(0, 21)}…` : subaccount.name;
  return `${name} (${subaccount.authId})`;
};

/** One entry's kind, as its row names it. */
const ENTRY_LABELS: Record<LedgerEntryKind, string> = {
  recharge: 'Recharge',
  refund: 'Refund',
  adjustment: 'Adjustment',
  trial_credit: 'Trial credit',
  charge: 'Usage',
  rental: 'Number rental',
  reversal: 'Payment reversed',
};

/** The receipt of a payment, as a PDF. `compress: false` leaves the text readable in the bytes (tests). */
export function renderReceipt(receipt: ReceiptFacts, options: { compress?: boolean } = {}): Promise<Buffer> {
  const doc = startDocument(
    `Receipt ${receipt.receiptNumber}`,
    receipt.operatorName,
    receipt.paidAt,
    options.compress ?? true,
  );
  letterhead(doc, receipt.operatorName, 'Receipt', receipt.receiptNumber);
  facts(doc, [
    ['Account', receipt.accountName],
    ['Auth ID', receipt.authId],
    ['Date paid', timeForPeople(receipt.paidAt, receipt.timeZone ?? 'UTC')],
    ['Amount paid', documentMoney(receipt.amount)],
    ['Payment method', receipt.paymentMethod],
    ['Payment ID', receipt.gatewayPaymentId],
    ['Balance after payment', documentMoney(receipt.newBalance)],
  ]);
  doc.moveDown(1);
  doc
    .font('Helvetica')
    .fontSize(9)
    .text(
      `The amount was credited to the account's prepaid balance. Thank you for your payment.`,
      PAGE.margin,
      doc.y,
      { width: CONTENT_WIDTH },
    );
  return finish(doc);
}

/** The monthly invoice, as a PDF. `compress: false` leaves the text readable in the bytes (tests). */
export function renderInvoice(invoice: InvoiceFacts, options: { compress?: boolean } = {}): Promise<Buffer> {
  const doc = startDocument(
    `Invoice ${invoice.number}`,
    invoice.operatorName,
    invoice.issuedAt,
    options.compress ?? true,
  );
  const zone = invoice.timeZone;
  const lastMoment = new Date(invoice.end.getTime() - 1);
  letterhead(doc, invoice.operatorName, 'Invoice', invoice.number);
  facts(doc, [
    ['Account', invoice.accountName],
    ['Auth ID', invoice.authId],
    ['Period', `${monthForPeople(invoice.period)} (${zone})`],
    ['From', timeForPeople(invoice.start, zone)],
    ['Until', `${timeForPeople(lastMoment, zone)} (included)`],
    ['Issued', dayForPeople(invoice.issuedAt, zone)],
    ['Currency', invoice.currency],
  ]);

  heading(doc, 'Summary');
  const summary = new Table(
    doc,
    [{ width: 300 }, { width: 80, align: 'right' }, { width: 115, align: 'right' }],
    ['', 'Entries', 'Amount'],
  );
  summary.row(['Opening balance', '', documentMoney(invoice.opening)]);
  const byKind = new Map(invoice.activity.map((line) => [line.kind, line]));
  for (const kind of KIND_ORDER) {
    const line = byKind.get(kind);
    if (line) summary.row([KIND_LABELS[kind], String(line.entries), documentMoney(line.amount)]);
  }
  if (invoice.activity.length === 0) summary.row(['No activity in this month', '', '']);
  summary.row(['Closing balance', '', documentMoney(invoice.closing)], { bold: true, rule: true });
  summary.end();

  heading(doc, 'Usage by product and subaccount (by day of use)');
  const usage = new Table(
    doc,
    [
      { width: 215 },
      { width: 50 },
      { width: 50, align: 'right' },
      { width: 90, align: 'right' },
      { width: 90, align: 'right' },
    ],
    ['Account', 'Product', 'Events', 'Quantity', 'Amount'],
  );
  for (const line of invoice.usage)
    usage.row([
      holder(line.subaccount),
      line.product,
      line.events.toString(),
      line.quantity,
      documentMoney(line.amount),
    ]);
  if (invoice.usage.length === 0) usage.row(['No usage in this month', '', '', '', '']);
  if (invoice.usageChargedOutsideItsMonth.micros !== 0n)
    usage.row([
      'Usage charged in a different month than its day of use (net)',
      '',
      '',
      '',
      documentMoney(invoice.usageChargedOutsideItsMonth),
    ]);
  usage.end();

  heading(doc, 'Number rentals');
  const rentals = new Table(
    doc,
    [{ width: 295 }, { width: 100, align: 'right' }, { width: 100, align: 'right' }],
    ['Account', 'Rentals', 'Amount'],
  );
  for (const line of invoice.rentals)
    rentals.row([holder(line.subaccount), String(line.numbers), documentMoney(line.amount)]);
  if (invoice.rentals.length === 0) rentals.row(['No number rentals in this month', '', '']);
  rentals.end();

  heading(doc, 'Recharges, refunds and adjustments');
  const entries = new Table(
    doc,
    [{ width: 105 }, { width: 75 }, { width: 225 }, { width: 90, align: 'right' }],
    ['Date', 'Kind', 'Description', 'Amount'],
  );
  for (const line of invoice.entries)
    entries.row([
      dayForPeople(line.at, zone),
      ENTRY_LABELS[line.kind],
      line.description,
      documentMoney(line.amount),
    ]);
  if (invoice.entries.length === 0) entries.row(['None in this month', '', '', '']);
  entries.end();

  doc.moveDown(1);
  doc
    .font('Helvetica')
    .fontSize(8)
    .text(
      'Balances are the sums of the account’s prepaid ledger: the opening balance is every entry before the period, the closing balance every entry until its end. This invoice is never changed once issued; a correction is issued as a new document.',
      PAGE.margin,
      doc.y,
      { width: CONTENT_WIDTH },
    );
  return finish(doc);
}
