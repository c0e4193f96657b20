import { Readable } from 'node:stream';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { consoleResponses } from '../../http/console-schemas.js';
import { clientOf, memberSessionOf } from '../../http/guard.js';
import { formatMoney } from '../../lib/money.js';
import type { ApiScope } from '../accounts/scope.js';
import { usageCsv } from './usage-csv.js';
import { UsageCsv, UsageEmailSetting, UsageQuery, UsageSummary } from './usage-schemas.js';
import { type ResolvedUsageFilter, UNITS, type UsageSummaryService } from './usage-summary.js';

/** What Billing > Usage Summary's routes use. */
export interface UsageRoutesDeps {
  usageSummary: UsageSummaryService;
}

const tags = ['Console: billing'];

/** The console works in a main account: it sees its own usage and all its subaccounts'. */
const scopeOf = (request: FastifyRequest): ApiScope => ({
  mainAccountId: memberSessionOf(request).accountId,
  mainAuthId: '',
  subaccount: null,
});

/** The summary as the page shows it: money with 5 decimals (the console renders it for people). */
export async function summaryAnswer(
  usage: UsageSummaryService,
  filter: ResolvedUsageFilter,
): Promise<UsageSummary> {
  const { days, lines } = await usage.summary(filter);
  const total = lines.reduce(
    (sum, line) => ({ events: sum.events + line.events, amount: sum.amount + line.amountMicros }),
    { events: 0n, amount: 0n },
  );
  return {
    from: filter.from,
    to: filter.to,
    timezone: filter.timezone,
    currency: filter.currency,
    days: days.map((day) => ({
      day: day.day,
      events: String(day.events),
      amount: formatMoney(day.amountMicros),
    })),
    lines: lines.map((line) => ({
      product: line.product,
      subaccount: usage.subaccountOf(filter, line),
      events: String(line.events),
      quantity: String(line.quantity),
      unit: UNITS[line.product],
      amount: formatMoney(line.amountMicros),
    })),
    total: { events: String(total.events), amount: formatMoney(total.amount) },
    subaccounts: [...filter.subaccounts.values()],
  };
}

/** Billing > Usage Summary: the summary, the export of its records, and the member's daily email setting. */
export function usageRoutes(parent: FastifyInstance, { usageSummary }: UsageRoutesDeps) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/api/billing/usage',
    {
      schema: {
        tags,
        summary:
          'Usage of the account and its subaccounts for a range of local days, by day and by product and subaccount (filters: product, subaccount)',
        querystring: UsageQuery,
        response: consoleResponses({ 200: UsageSummary }),
      },
    },
    async (request) =>
      summaryAnswer(usageSummary, await usageSummary.resolve(scopeOf(request), request.query)),
  );

  app.get(
    '/api/billing/usage.csv',
    {
      schema: {
        tags,
        summary:
          'Export CSV: every usage record of the filter, oldest first, streamed (read and written a page at a time)',
        querystring: UsageQuery,
        produces: ['text/csv'],
        response: consoleResponses({ 200: UsageCsv }),
      },
    },
    async (request, reply) => {
      // Checked before the first byte: a bad filter still answers 400 in the console's shape.
      const filter = await usageSummary.resolve(scopeOf(request), request.query);
      const name = `usage-${filter.from}-to-${filter.to}.csv`;
      // A stream is sent as it is read (never serialized): the schema's string documents the body.
      // One chunk (a page) buffered ahead at most: the socket's pace sets the export's.
      const body = Readable.from(usageCsv(usageSummary.records(filter)), {
        highWaterMark: 1,
      }) as unknown as string;
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${name}"`)
        .header('cache-control', 'no-store')
        .send(body);
    },
  );

  app.get(
    '/api/billing/usage/email',
    {
      schema: {
        tags,
        summary: 'Whether you get the daily usage summary email for this account',
        response: consoleResponses({ 200: UsageEmailSetting }),
      },
    },
    async (request) => {
      const session = memberSessionOf(request);
      return { enabled: await usageSummary.emailSetting(session.accountId, session.userId) };
    },
  );

  app.put(
    '/api/billing/usage/email',
    {
      schema: {
        tags,
        summary: 'Turn your daily usage summary email for this account on or off',
        body: UsageEmailSetting,
        response: consoleResponses({ 200: UsageEmailSetting }),
      },
    },
    async (request) => {
      const session = memberSessionOf(request);
      const actor = { ...clientOf(request), userId: session.userId };
      return { enabled: await usageSummary.setEmailSetting(actor, session.accountId, request.body.enabled) };
    },
  );
}
