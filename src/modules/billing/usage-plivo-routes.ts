import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { listEnvelope } from '../../http/plivo-list.js';
import { AccountParams, PlivoList, plivoErrors } from '../../http/plivo-schemas.js';
import { formatMoney } from '../../lib/money.js';
import { scopeOf } from '../accounts/scope.js';
import { UsageApiQuery, UsageTotal } from './usage-schemas.js';
import { UNITS, type UsageSummaryService } from './usage-summary.js';

/** What the /v1 usage API uses. */
export interface UsageApiDeps {
  usageSummary: UsageSummaryService;
}

const tags = ['Switchboard extension: Usage'];

/**
 * GET /v1/Account/{auth_id}/Usage/: usage totals per product and subaccount for a range of the
 * account's local days, in Plivo's list envelope. A Switchboard extension: Plivo has no such API.
 */
export function usageApiRoutes(door: FastifyInstance, { usageSummary }: UsageApiDeps) {
  const app = door.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/Account/:authId/Usage/',
    {
      schema: {
        tags,
        summary:
          'Usage totals per product and subaccount (Switchboard extension): from, to (YYYY-MM-DD, the account’s time zone), product (voice, sms, mms, numbers), subaccount',
        params: AccountParams,
        querystring: UsageApiQuery,
        response: { 200: PlivoList(UsageTotal), ...plivoErrors },
      },
    },
    async (request) => {
      const { limit, offset, ...query } = request.query;
      const filter = await usageSummary.resolve(scopeOf(request.apiAccount), query);
      const { lines } = await usageSummary.summary(filter);
      const authId = request.apiAccount.authId;
      const objects: UsageTotal[] = lines.map((line) => ({
        product: line.product,
        subaccount: usageSummary.subaccountOf(filter, line)?.authId ?? null,
        from: filter.from,
        to: filter.to,
        events: Number(line.events),
        quantity: Number(line.quantity),
        unit: UNITS[line.product],
        amount: formatMoney(line.amountMicros),
        currency: filter.currency,
      }));
      return listEnvelope(
        request.apiId,
        `/v1/Account/${authId}/Usage/`,
        { limit, offset },
        objects.length,
        objects.slice(offset, offset + limit),
      );
    },
  );
}
