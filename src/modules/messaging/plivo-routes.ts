import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { MessageState } from '../../db/schema.js';
import { NoContent } from '../../http/common-schemas.js';
import { listEnvelope, PLIVO_OPERATORS, plivoFilterTime } from '../../http/plivo-list.js';
import {
  AccountParams,
  PlivoList,
  plivoBillableErrors,
  plivoErrors,
  WithApiId,
} from '../../http/plivo-schemas.js';
import { scopeOf } from '../accounts/scope.js';
import { MessageRefusals } from './errors.js';
import { messageObject } from './plivo-format.js';
import { MessageListQuery, MessageObject, MessageParams, Queued, SendBody } from './schemas.js';
import { MESSAGE_STATES, type Messaging } from './service.js';
import type { MessageFilter } from './store.js';

const tags = ['Plivo-compatible API: Message'];

/** Plivo's list filters as the store takes them; a filter it cannot read is a 400 naming it. */
export function messageFilter(query: MessageListQuery): MessageFilter {
  const filter: MessageFilter = { time: [] };
  if (query.subaccount) filter.subaccountAuthId = query.subaccount;
  if (query.message_direction) {
    if (query.message_direction !== 'inbound' && query.message_direction !== 'outbound')
      throw MessageRefusals.invalid('message_direction', 'must be inbound or outbound');
    filter.direction = query.message_direction;
  }
  if (query.message_state) {
    const state = query.message_state as MessageState;
    if (!MESSAGE_STATES.includes(state))
      throw MessageRefusals.invalid('message_state', `must be one of ${MESSAGE_STATES.join(', ')}`);
    filter.states = state === 'queued' ? ['queued', 'sending'] : [state];
  }
  if (query.message_type) filter.type = query.message_type;
  if (query.error_code) {
    if (!/^\d{1,6}$/.test(query.error_code)) throw MessageRefusals.invalid('error_code', 'must be a number');
    filter.errorCode = Number(query.error_code);
  }
  if (query.from_number) filter.fromNumber = query.from_number.replace(/^\+/, '');
  if (query.to_number) filter.toNumber = query.to_number.replace(/^\+/, '');
  for (const [suffix, operator] of Object.entries(PLIVO_OPERATORS)) {
    const field = `message_time${suffix}` as keyof MessageListQuery;
    const text = query[field] as string | undefined;
    if (text === undefined) continue;
    const at = plivoFilterTime(text);
    if (!at) throw MessageRefusals.invalid(field, `"${text}" is not a time such as 2026-12-06 09:30 (UTC)`);
    filter.time.push({ operator, at });
  }
  return filter;
}

/** Send, get, list and cancel (scheduled) messages under /v1/Account/{auth_id}/Message/. */
export function messageApiRoutes(door: FastifyInstance, { messaging }: { messaging: Messaging }) {
  const app = door.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    '/Account/:authId/Message/',
    {
      config: { rateClass: 'message_request' },
      schema: {
        tags,
        summary:
          "Send an SMS to one or several destinations (dst joined with <); queued at the account's message rate, or at send_at",
        params: AccountParams,
        body: SendBody,
        response: { 202: Queued, ...plivoBillableErrors },
      },
    },
    async (request, reply) => {
      const sent = await messaging.send(
        { scope: scopeOf(request.apiAccount), ip: request.ip },
        request.body ?? {},
      );
      reply.code(202);
      return {
        api_id: request.apiId,
        message: 'message(s) queued',
        message_uuid: sent.messageUuids,
        ...(sent.invalidNumbers.length > 0 ? { invalid_number: sent.invalidNumbers } : {}),
      };
    },
  );

  app.get(
    '/Account/:authId/Message/',
    {
      schema: {
        tags,
        summary: "List messages, newest first, with Plivo's filters",
        params: AccountParams,
        querystring: MessageListQuery,
        response: { 200: PlivoList(MessageObject), ...plivoErrors },
      },
    },
    async (request) => {
      const { limit, offset } = request.query;
      const authId = request.apiAccount.authId;
      const page = await messaging.list(scopeOf(request.apiAccount), messageFilter(request.query), {
        limit,
        offset,
      });
      return listEnvelope(
        request.apiId,
        `/v1/Account/${authId}/Message/`,
        { limit, offset },
        page.total,
        page.rows.map((row) => messageObject(authId, row)),
      );
    },
  );

  app.get(
    '/Account/:authId/Message/:uuid/',
    {
      schema: {
        tags,
        summary: 'Get a message',
        params: MessageParams,
        response: { 200: WithApiId(MessageObject), ...plivoErrors },
      },
    },
    async (request) => {
      const message = await messaging.get(scopeOf(request.apiAccount), request.params.uuid);
      return { api_id: request.apiId, ...messageObject(request.apiAccount.authId, message) };
    },
  );

  app.delete(
    '/Account/:authId/Message/:uuid/',
    {
      schema: {
        tags,
        summary: 'Cancel a scheduled message (Switchboard extension); 409 once it is queued or sent',
        params: MessageParams,
        response: { 204: NoContent, ...plivoErrors, 409: plivoErrors[400] },
      },
    },
    async (request, reply) => {
      await messaging.cancel(scopeOf(request.apiAccount), request.params.uuid);
      reply.code(204);
    },
  );
}
