import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { consoleResponses } from '../../http/console-schemas.js';
import { formatMoney } from '../../lib/money.js';
import type { AccountService } from '../accounts/service.js';
import { consoleScope } from '../applications/routes.js';
import {
  ConsoleCallDetail,
  ConsoleCallPage,
  ConsoleCallParams,
  ConsoleCallQuery,
  HangupRequested,
} from './console-schemas.js';
import type { Voice } from './service.js';
import type { CallFilter, CallView } from './store.js';

const tags = ['Console: voice'];

/** What Voice > Calls uses. */
export interface VoiceConsoleDeps {
  voice: Pick<Voice, 'list' | 'get' | 'hangUp'>;
  accounts: Pick<AccountService, 'view'>;
}

/** A call as the console lists it. */
function consoleCall(call: CallView) {
  const ended = call.state === 'completed';
  return {
    uuid: call.id,
    direction: call.direction,
    state: call.state,
    from: call.from_number,
    to: call.to_number,
    subaccount: call.subaccount_auth_id,
    initiatedAt: call.initiated_at,
    answeredAt: call.answered_at,
    endedAt: call.ended_at,
    durationSeconds: ended ? (call.duration_seconds ?? 0) : null,
    billedSeconds: ended ? (call.billed_duration_seconds ?? 0) : null,
    rate: formatMoney(BigInt(call.rate_micros)),
    amount: formatMoney(BigInt(call.amount_micros)),
    hangupCause: call.hangup_cause,
  };
}

/**
 * Voice > Calls: the calls of the account and its subaccounts, newest first, each with what it cost
 * and why it ended; the live ones can be hung up.
 */
export function voiceConsoleRoutes(parent: FastifyInstance, { voice, accounts }: VoiceConsoleDeps) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/api/voice/calls',
    {
      schema: {
        tags,
        summary:
          'Calls of the account and its subaccounts, newest first, filtered by direction, numbers, subaccount and whether they are live',
        querystring: ConsoleCallQuery,
        response: consoleResponses({ 200: ConsoleCallPage }),
      },
    },
    async (request) => {
      const { query } = request;
      const filter: CallFilter = { billDuration: [], endTime: [] };
      if (query.direction) filter.direction = query.direction;
      if (query.fromNumber?.trim()) filter.fromNumber = query.fromNumber.trim().replace(/^\+/, '');
      if (query.toNumber?.trim()) filter.toNumber = query.toNumber.trim().replace(/^\+/, '');
      if (query.subaccount?.trim()) filter.subaccountAuthId = query.subaccount.trim();
      if (query.live) filter.live = true;
      const page = await voice.list(await consoleScope(accounts, request), filter, {
        limit: query.limit,
        offset: query.offset,
      });
      return { calls: page.rows.map(consoleCall), total: page.total };
    },
  );

  app.get(
    '/api/voice/calls/:callUuid',
    {
      schema: {
        tags,
        summary: 'A call: who called whom, when it was answered and ended, why, and what it cost',
        params: ConsoleCallParams,
        response: consoleResponses({ 200: ConsoleCallDetail }, 404),
      },
    },
    async (request) => {
      const call = await voice.get(await consoleScope(accounts, request), request.params.callUuid);
      return {
        ...consoleCall(call),
        hangupSource: call.hangup_source,
        sipCode: call.sip_code,
        route: call.route,
        currency: call.currency,
      };
    },
  );

  app.post(
    '/api/voice/calls/:callUuid/hangup',
    {
      schema: {
        tags,
        summary:
          'Hang up an answered call: its SIP server ends it with a BYE to both sides (409 while it rings, 404 once it ended)',
        params: ConsoleCallParams,
        response: consoleResponses({ 202: HangupRequested }, 404, 409),
      },
    },
    async (request, reply) => {
      const scope = await consoleScope(accounts, request);
      await voice.hangUp({ ...scope, authId: scope.mainAuthId }, request.params.callUuid);
      return reply.code(202).send({ callUuid: request.params.callUuid.toLowerCase() });
    },
  );
}
