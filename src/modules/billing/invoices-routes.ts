import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { consoleResponses, PdfFile } from '../../http/console-schemas.js';
import { memberSessionOf } from '../../http/guard.js';
import { sendPdf } from '../../http/pdf-reply.js';
import type { InvoiceService } from './invoices.js';
import { InvoiceParams, Invoices, StaffInvoiceParams } from './invoices-schemas.js';
import { StaffAccountParams } from './transactions-schemas.js';

/** What Billing > Invoices uses. */
export interface InvoiceRoutesDeps {
  invoices: Pick<InvoiceService, 'list' | 'pdf'>;
}

const tags = ['Console: billing'];

/** Billing > Invoices for Owner, Admin and Financial Analyst: the list and each PDF. Nothing changes an invoice. */
export function invoiceRoutes(parent: FastifyInstance, { invoices }: InvoiceRoutesDeps) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/api/billing/invoices',
    {
      schema: {
        tags,
        summary: 'The account’s monthly invoices, newest first, and when the next one is issued',
        response: consoleResponses({ 200: Invoices }),
      },
    },
    async (request) => listView(await invoices.list(memberSessionOf(request).accountId)),
  );

  app.get(
    '/api/billing/invoices/:id.pdf',
    {
      schema: {
        tags,
        summary: 'Download an invoice: the PDF exactly as issued',
        params: InvoiceParams,
        response: consoleResponses({ 200: PdfFile }, 404),
      },
    },
    async (request, reply) =>
      sendPdf(reply, await invoices.pdf(memberSessionOf(request).accountId, request.params.id)),
  );
}

/** Staff read an account's invoices as its members do (the staff console's Accounts; closed accounts' are kept). */
export function invoiceStaffRoutes(parent: FastifyInstance, { invoices }: InvoiceRoutesDeps) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/api/staff/accounts/:accountId/invoices',
    {
      schema: {
        tags: ['Staff console'],
        summary: 'An account’s monthly invoices, newest first',
        params: StaffAccountParams,
        response: consoleResponses({ 200: Invoices }, 404),
      },
    },
    async (request) => listView(await invoices.list(request.params.accountId)),
  );

  app.get(
    '/api/staff/accounts/:accountId/invoices/:id.pdf',
    {
      schema: {
        tags: ['Staff console'],
        summary: 'Download one of an account’s invoices: the PDF exactly as issued',
        params: StaffInvoiceParams,
        response: consoleResponses({ 200: PdfFile }, 404),
      },
    },
    async (request, reply) => sendPdf(reply, await invoices.pdf(request.params.accountId, request.params.id)),
  );
}

function listView({ invoices: rows, next }: Awaited<ReturnType<InvoiceService['list']>>) {
  return {
    invoices: rows.map((row) => ({
      id: row.id,
      number: row.numberText,
      period: row.period,
      timezone: row.timezone,
      periodStart: row.periodStart,
      periodEnd: row.periodEnd,
      currency: row.currency,
      openingMicros: row.openingMicros.toString(),
      debitsMicros: row.debitsMicros.toString(),
      creditsMicros: row.creditsMicros.toString(),
      closingMicros: row.closingMicros.toString(),
      pdfSha256: row.pdfSha256,
      issuedAt: row.issuedAt,
    })),
    next,
  };
}
