import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { NoContent } from '../../http/common-schemas.js';
import { listEnvelope, PLIVO_OPERATORS, plivoFilterTime, plivoTime } from '../../http/plivo-list.js';
import { AccountParams, PlivoList, plivoErrors, WithApiId } from '../../http/plivo-schemas.js';
import { ValidationFailed } from '../../lib/errors.js';
import { scopeOf } from '../accounts/scope.js';
import { callObject } from './plivo-format.js';
import { CallGetQuery, CallListQuery, CallObject, CallParams, LiveCall, LiveCalls } from './schemas.js';
import type { Voice } from './service.js';
import type { CallFilter } from './store.js';

const tags = ['Plivo-compatible API: Call'];

const invalid = (field: string, problem: string) =>
  ValidationFailed('invalid_request', `${field} ${problem}`, [{ field, message: problem }]);

/** Plivo's call list filters as the store takes them; a filter it cannot read is a 400 naming it. */
export function callFilter(query: CallListQuery): CallFilter {
  const filter: CallFilter = { billDuration: [], endTime: [] };
  if (query.subaccount) filter.subaccountAuthId = query.subaccount;
  if (query.call_direction) {
    if (query.call_direction !== 'inbound' && query.call_direction !== 'outbound')
      throw invalid('call_direction', 'must be inbound or outbound');
    filter.direction = query.call_direction;
  }
  if (query.from_number) filter.fromNumber = query.from_number.replace(/^\+/, '');
  if (query.to_number) filter.toNumber = query.to_number.replace(/^\+/, '');
  for (const [suffix, operator] of Object.entries(PLIVO_OPERATORS)) {
    const durationField = `bill_duration${suffix}` as keyof CallListQuery;
    const seconds = query[durationField] as string | undefined;
    if (seconds !== undefined) {
      if (!/^\d{1,9}$/.test(seconds.trim())) throw invalid(durationField, 'must be whole seconds');
      filter.billDuration.push({ operator, seconds: Number(seconds) });
    }
    const timeField = `end_time${suffix}` as keyof CallListQuery;
    const text = query[timeField] as string | undefined;
    if (text === undefined) continue;
    const at = plivoFilterTime(text);
    if (!at) throw invalid(timeField, `"${text}" is not a time such as 2026-12-06 09:30 (UTC)`);
    filter.endTime.push({ operator, at });
  }
  return filter;
}

const isLive = (status: string | undefined) => {
  if (status === undefined || status === '') return false;
  if (status !== 'live') throw invalid('status', 'must be live (the calls going on now) or left out');
  return true;
};

/** Calls under /v1/Account/{auth_id}/Call/: list (and the live ones), get, and hang up a live one. */
export function callApiRoutes(door: FastifyInstance, { voice }: { voice: Voice }) {
  const app = door.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/Account/:authId/Call/',
    {
      schema: {
        tags,
        summary:
          "List calls, newest first, with Plivo's filters; status=live answers the uuids of the calls going on now",
        params: AccountParams,
        querystring: CallListQuery,
        response: { 200: { anyOf: [PlivoList(CallObject), LiveCalls] }, ...plivoErrors },
      },
    },
    async (request) => {
      const { limit, offset } = request.query;
      const authId = request.apiAccount.authId;
      const scope = scopeOf(request.apiAccount);
      if (isLive(request.query.status)) {
        const live = await voice.list(
          scope,
          { ...callFilter(request.query), live: true },
          { limit: 1000, offset: 0 },
        );
        return { api_id: request.apiId, calls: live.rows.map((call) => call.id) };
      }
      const page = await voice.list(scope, callFilter(request.query), { limit, offset });
      return listEnvelope(
        request.apiId,
        `/v1/Account/${authId}/Call/`,
        { limit, offset },
        page.total,
        page.rows.map((row) => callObject(authId, row)),
      );
    },
  );

  app.get(
    '/Account/:authId/Call/:uuid/',
    {
      schema: {
        tags,
        summary: 'Get a call (with status=live: the call as it goes on now, 404 once it ended)',
        params: CallParams,
        querystring: CallGetQuery,
        response: { 200: { anyOf: [WithApiId(CallObject), LiveCall] }, ...plivoErrors },
      },
    },
    async (request) => {
      const call = await voice.get(scopeOf(request.apiAccount), request.params.uuid);
      if (isLive(request.query.status)) {
        if (call.state === 'completed') throw voice.notLive(request.params.uuid);
        return {
          api_id: request.apiId,
          call_uuid: call.id,
          call_status: call.state,
          direction: call.direction,
          from: call.from_number,
          to: call.to_number,
          caller_name: call.from_number,
          session_start: plivoTime(call.answered_at ?? call.initiated_at),
        };
      }
      return { api_id: request.apiId, ...callObject(request.apiAccount.authId, call) };
    },
  );

  app.delete(
    '/Account/:authId/Call/:uuid/',
    {
      schema: {
        tags,
        summary: 'Hang up a live call: the SIP server ends it with a BYE to both sides',
        params: CallParams,
        response: { 204: NoContent, ...plivoErrors, 409: plivoErrors[400] },
      },
    },
    async (request, reply) => {
      await voice.hangUp(
        { ...scopeOf(request.apiAccount), authId: request.apiAccount.authId },
        request.params.uuid,
      );
      reply.code(204);
    },
  );
}
