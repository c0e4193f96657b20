import { type Static, Type } from '@sinclair/typebox';
import { Timestamp, type Wire } from '../../http/console-schemas.js';

/**
 * Schemas of Billing > Invoices. Like every schemas.ts this file imports only TypeBox: the console
 * imports its types. Money crosses the wire as micro-units in a string, with its currency.
 */

const Micros = (description: string) => Type.String({ pattern: '^-?[0-9]+$', description });

export const Invoice = Type.Object({
  id: Type.String({ format: 'uuid' }),
  number: Type.String({ description: 'the operator’s sequence: INV-000001' }),
  period: Type.String({ description: 'the account’s local calendar month: YYYY-MM' }),
  timezone: Type.String({ description: 'the time zone the month was counted in' }),
  periodStart: Timestamp(),
  periodEnd: Timestamp({ description: 'the first moment after the month' }),
  currency: Type.String(),
  openingMicros: Micros('the ledger’s sum before the month'),
  debitsMicros: Micros('the month’s charges, rentals and other debits (negative)'),
  creditsMicros: Micros('the month’s recharges and other credits'),
  closingMicros: Micros('opening + debits + credits: the ledger’s sum at the month’s end'),
  pdfSha256: Type.String({ description: 'SHA-256 of the PDF as issued' }),
  issuedAt: Timestamp(),
});
export type Invoice = Wire<Static<typeof Invoice>>;

export const Invoices = Type.Object({
  invoices: Type.Array(Invoice, { description: 'the newest month first' }),
  next: Type.Object({
    period: Type.String({ description: 'the month running now (YYYY-MM), invoiced after it ends' }),
    issuedAfter: Timestamp({ description: 'the invoice of `period` is issued in the first hour after this' }),
  }),
});
export type Invoices = Wire<Static<typeof Invoices>>;

export const InvoiceParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const StaffInvoiceParams = Type.Object({
  accountId: Type.String({ format: 'uuid' }),
  id: Type.String({ format: 'uuid' }),
});
