import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { engineOf, engineResponses } from '../../http/engine-door.js';
import { EngineError } from '../billing/engine-schemas.js';
import {
  SessionAllowed,
  SessionEnd,
  SessionEnded,
  SessionExtend,
  SessionOpen,
  SessionParams,
  SessionRefused,
} from './engine-schemas.js';
import type { CreditControl, SessionAnswer } from './service.js';

export interface CreditEngineRoutesDeps {
  credit: Pick<CreditControl, 'open' | 'extend' | 'end'>;
}

const tags = ['Engine door'];
/** A refusal of credit or limits, or the door's own 403 (a route outside the permission table). */
const Refused403 = Type.Union([SessionRefused, EngineError]);
const answers = {
  ...engineResponses({ 200: SessionAllowed, 201: SessionAllowed, 402: SessionRefused, 404: EngineError }),
  403: Refused403,
};

/** Real-time credit control for the engines (under /api/engine): open, extend and end sessions. */
export function creditEngineRoutes(door: FastifyInstance, { credit }: CreditEngineRoutesDeps) {
  const app = door.withTypeProvider<TypeBoxTypeProvider>();
  /** Sends an answer: allowed with the route's status, refused with 402 or 403. */
  const send = (res: FastifyReply, answer: SessionAnswer, okStatus: 200 | 201) =>
    answer.allowed
      ? res.code(okStatus).send(answer)
      : res.code(answer.status).send({ allowed: false, error: answer.error, reason: answer.reason });

  app.post(
    '/sessions',
    {
      schema: {
        tags,
        summary:
          'Open a credit session before a call or message: 201 with the most it may use (a hold on the free credit), or 402/403 with why not',
        body: SessionOpen,
        response: answers,
      },
    },
    async (request, res) => send(res, await credit.open(engineOf(request), request.body), 201),
  );

  app.post(
    '/sessions/:id/extend',
    {
      schema: {
        tags,
        summary: "Report a call's seconds so far: the hold moves on and a new max_seconds is answered",
        params: SessionParams,
        body: SessionExtend,
        response: answers,
      },
    },
    async (request, res) =>
      send(res, await credit.extend(engineOf(request), request.params.id, request.body.used_seconds), 200),
  );

  app.post(
    '/sessions/:id/end',
    {
      schema: {
        tags,
        summary:
          'End a session with what it used: rated, charged as a usage record, the rest of the hold released',
        params: SessionParams,
        body: SessionEnd,
        response: engineResponses({ 200: SessionEnded, 404: EngineError }),
      },
    },
    async (request) => credit.end(engineOf(request), request.params.id, request.body),
  );
}
