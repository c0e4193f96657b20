import { Readable } from 'node:stream';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { consoleResponses } from '../../http/console-schemas.js';
import { clientOf, memberSessionOf, staffSessionOf } from '../../http/guard.js';
import type { CreditAdjustments } from './credits.js';
import type { Ledger } from './ledger.js';
import { balanceView, type TransactionHistory } from './transactions.js';
import {
  Balance,
  CsvText,
  StaffAccountParams,
  StaffCredit,
  StaffCredited,
  Transactions,
  TransactionsCsvQuery,
  TransactionsQuery,
} from './transactions-schemas.js';

/** What the balance and Billing > Transactions use. */
export interface TransactionRoutesDeps {
  ledger: Pick<Ledger, 'balance'>;
  transactions: Pick<TransactionHistory, 'page' | 'csv'>;
}

const tags = ['Console: billing'];

/** The balance (console home) and Billing > Transactions with its CSV export, for Owner, Admin and Financial Analyst. */
export function transactionRoutes(parent: FastifyInstance, { ledger, transactions }: TransactionRoutesDeps) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/api/billing/balance',
    {
      schema: {
        tags,
        summary: "The account's balance: what its ledger sums to",
        response: consoleResponses({ 200: Balance }),
      },
    },
    async (request) => balanceView(await ledger.balance(memberSessionOf(request).accountId)),
  );

  app.get(
    '/api/billing/transactions',
    {
      schema: {
        tags,
        summary: 'The ledger, newest first, filtered by kind, days (the account’s time zone) and subaccount',
        querystring: TransactionsQuery,
        response: consoleResponses({ 200: Transactions }),
      },
    },
    async (request) => {
      const accountId = memberSessionOf(request).accountId;
      const { limit = 50, offset = 0, ...filter } = request.query;
      const page = await transactions.page(accountId, filter, limit, offset);
      return { ...page, balance: balanceView(await ledger.balance(accountId)) };
    },
  );

  app.get(
    '/api/billing/transactions.csv',
    {
      schema: {
        tags,
        summary: 'Export CSV of the transactions the filters select (streamed as it is read)',
        querystring: TransactionsCsvQuery,
        response: consoleResponses({ 200: CsvText }),
      },
    },
    async (request, reply) => {
      const lines = await transactions.csv(memberSessionOf(request).accountId, request.query);
      return (
        reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="transactions.csv"')
          .header('cache-control', 'no-store')
          // A stream is sent as it is read, never serialized: the schema documents the text it carries.
          .send(Readable.from(lines) as unknown as string)
      );
    },
  );
}

/** What staff credit uses. */
export interface CreditStaffRoutesDeps {
  credits: Pick<CreditAdjustments, 'adjust'>;
}

/** Staff adjust an account's credit with a reason (the staff console's Accounts). */
export function creditStaffRoutes(parent: FastifyInstance, { credits }: CreditStaffRoutesDeps) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    '/api/staff/accounts/:accountId/credits',
    {
      schema: {
        tags: ['Staff console'],
        summary:
          'Adjust credit with a reason (positive credits, negative debits); the same idempotency_key adjusts once',
        params: StaffAccountParams,
        body: StaffCredit,
        response: consoleResponses({ 200: StaffCredited }, 404),
      },
    },
    async (request) => {
      const { transaction, balance, posted } = await credits.adjust(
        { ...clientOf(request), staffId: staffSessionOf(request).staffId },
        request.params.accountId,
        {
          amount: request.body.amount,
          reason: request.body.reason,
          idempotencyKey: request.body.idempotency_key,
        },
      );
      return { posted, transaction, balance };
    },
  );
}
