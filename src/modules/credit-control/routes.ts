import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { consoleResponses } from '../../http/console-schemas.js';
import { clientOf, memberSessionOf, staffSessionOf } from '../../http/guard.js';
import { formatMoney } from '../../lib/money.js';
import {
  AccountLimitsBody,
  CreditStateView,
  LimitsOverviewView,
  StaffAccountParams,
  SubaccountLimitsBody,
  SubaccountParams,
} from './schemas.js';
import type { CreditControl, LimitsOverview } from './service.js';

export interface CreditRoutesDeps {
  credit: Pick<CreditControl, 'state' | 'overview' | 'setSubaccountLimits' | 'setAccountLimits'>;
}

const tags = ['Console: credit and limits'];
const amount = (micros: bigint | null) => (micros === null ? null : formatMoney(micros));

function overviewView(overview: LimitsOverview): LimitsOverviewView {
  return {
    currency: overview.currency,
    account: {
      openSessions: overview.account.openSessions,
      maxSessions: overview.account.maxSessions,
      maxDestinationRate: amount(overview.account.maxDestinationRateMicros),
    },
    subaccounts: overview.subaccounts.map((sub) => ({
      authId: sub.authId,
      name: sub.name,
      openSessions: sub.openSessions,
      maxSessions: sub.maxSessions,
      maxDestinationRate: amount(sub.maxDestinationRateMicros),
      dailySpendCap: amount(sub.dailySpendCapMicros),
      monthlySpendCap: amount(sub.monthlySpendCapMicros),
      spentToday: formatMoney(sub.spentTodayMicros),
      spentThisMonth: formatMoney(sub.spentThisMonthMicros),
    })),
  };
}

/** The out-of-credit banner's state, Account > Limits, a subaccount's limits, and staff's per-account limits. */
export function creditRoutes(parent: FastifyInstance, { credit }: CreditRoutesDeps) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/api/credit',
    {
      schema: {
        tags,
        summary: 'Whether the account is out of credit: what the console’s banner shows every member',
        response: consoleResponses({ 200: CreditStateView }),
      },
    },
    async (request) => {
      const state = await credit.state(memberSessionOf(request).accountId);
      return { outOfCredit: state.outOfCredit, reason: state.reason };
    },
  );

  app.get(
    '/api/limits',
    {
      schema: {
        tags,
        summary:
          'Account > Limits: calls and messages in progress against each limit, and each subaccount’s spend',
        response: consoleResponses({ 200: LimitsOverviewView }),
      },
    },
    async (request) => overviewView(await credit.overview(memberSessionOf(request).accountId)),
  );

  app.put(
    '/api/subaccounts/:authId/limits',
    {
      schema: {
        tags,
        summary: 'Set a subaccount’s limits and daily and monthly spend caps (empty: none of its own)',
        params: SubaccountParams,
        body: SubaccountLimitsBody,
        response: consoleResponses({ 200: LimitsOverviewView }, 404),
      },
    },
    async (request) => {
      const session = memberSessionOf(request);
      return overviewView(
        await credit.setSubaccountLimits(
          { ...clientOf(request), userId: session.userId },
          session.accountId,
          request.params.authId,
          request.body,
        ),
      );
    },
  );

  app.get(
    '/api/staff/accounts/:accountId/credit-limits',
    {
      schema: {
        tags: ['Staff console'],
        summary: "An account's limits beyond credit and their use",
        params: StaffAccountParams,
        response: consoleResponses({ 200: LimitsOverviewView }, 404),
      },
    },
    async (request) => overviewView(await credit.overview(request.params.accountId)),
  );

  app.put(
    '/api/staff/accounts/:accountId/credit-limits',
    {
      schema: {
        tags: ['Staff console'],
        summary:
          "Override an account's concurrent sessions and highest destination rate (null: the operator's default)",
        params: StaffAccountParams,
        body: AccountLimitsBody,
        response: consoleResponses({ 200: LimitsOverviewView }, 404),
      },
    },
    async (request) =>
      overviewView(
        await credit.setAccountLimits(
          { ...clientOf(request), staffId: staffSessionOf(request).staffId },
          request.params.accountId,
          request.body,
        ),
      ),
  );
}
