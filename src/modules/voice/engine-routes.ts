import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { NoContent } from '../../http/common-schemas.js';
import { engineOf, engineResponses } from '../../http/engine-door.js';
import { EngineError } from '../billing/engine-schemas.js';
import {
  CallAcknowledged,
  CallAnswered,
  CallAsked,
  CallEnded,
  CallParams,
  CallRouted,
  DigestAnswer,
  DigestAsked,
  RegistrationSaved,
} from './engine-schemas.js';
import type { Voice } from './service.js';

const tags = ['Engine door: SIP'];

/** What a SIP server (Kamailio) asks Switchboard, under /api/engine: digests, registrations, calls. */
export function voiceEngineRoutes(door: FastifyInstance, { voice }: { voice: Voice }) {
  const app = door.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    '/sip/digest',
    {
      schema: {
        tags,
        summary:
          "An endpoint's digest HA1 for the SIP domain (to check a REGISTER or INVITE), never its password",
        body: DigestAsked,
        response: engineResponses({ 200: DigestAnswer, 404: EngineError }),
      },
    },
    async (request) => voice.digest(request.body.username, request.body.realm),
  );

  app.post(
    '/sip/registrations',
    {
      schema: {
        tags,
        summary: 'Where an endpoint registered (expires 0: unregistered)',
        body: RegistrationSaved,
        response: engineResponses({ 204: NoContent, 404: EngineError }),
      },
    },
    async (request, reply) => {
      await voice.register(request.body);
      return reply.code(204).send();
    },
  );

  app.post(
    '/calls',
    {
      schema: {
        tags,
        summary:
          'Decide a call (an INVITE): who pays, where it goes and the most seconds its credit buys; 402 without credit',
        body: CallAsked,
        response: engineResponses({ 201: CallRouted, 402: EngineError, 404: EngineError }),
      },
    },
    async (request, reply) => reply.code(201).send(await voice.authorize(engineOf(request), request.body)),
  );

  app.post(
    '/calls/:callUuid/answer',
    {
      schema: {
        tags,
        summary: "The call was answered: its dialog's ids let Switchboard end it",
        params: CallParams,
        body: CallAnswered,
        response: engineResponses({ 200: CallAcknowledged, 404: EngineError }),
      },
    },
    async (request) => voice.answered(engineOf(request), request.params.callUuid, request.body),
  );

  app.post(
    '/calls/:callUuid/end',
    {
      schema: {
        tags,
        summary: 'The call ended: charged for its seconds from answer to end, to the increment',
        params: CallParams,
        body: CallEnded,
        response: engineResponses({ 200: CallAcknowledged, 404: EngineError }),
      },
    },
    async (request) => voice.ended(engineOf(request), request.params.callUuid, request.body),
  );
}
