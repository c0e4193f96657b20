import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { consoleResponses, NoContent } from '../../http/console-schemas.js';
import { clientOf, memberSessionOf, staffSessionOf } from '../../http/guard.js';
import type { AuditLog } from '../audit/audit.js';
import {
  Reinstate,
  ReinstatementRequest,
  StaffAccountParams,
  Suspend,
  SuspensionHistory,
  SuspensionState,
  SuspensionView,
} from './suspension-schemas.js';
import type { Suspensions } from './suspensions.js';

export interface SuspensionRoutesDeps {
  suspensions: Pick<Suspensions, 'suspend' | 'reinstate' | 'requestReinstatement' | 'current' | 'history'>;
  audit: AuditLog;
}

/** Staff suspend and reinstate; a suspended account's members read the notice and ask for reinstatement. */
export function suspensionRoutes(parent: FastifyInstance, { suspensions, audit }: SuspensionRoutesDeps) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/api/account/suspension',
    {
      schema: {
        tags: ['Console: account'],
        summary: 'The account’s suspension notice (null when it is not suspended)',
        response: consoleResponses({ 200: SuspensionState }),
      },
    },
    async (request) => ({
      suspension: (await suspensions.current(memberSessionOf(request).accountId)) ?? null,
    }),
  );

  app.post(
    '/api/account/reinstatement-request',
    {
      schema: {
        tags: ['Console: account'],
        summary: 'Ask for reinstatement, saying what was addressed (Owner and Admins)',
        body: ReinstatementRequest,
        response: consoleResponses({ 200: SuspensionView }, 409),
      },
    },
    async (request) => {
      const session = memberSessionOf(request);
      const view = await suspensions.requestReinstatement(
        { ...clientOf(request), userId: session.userId },
        session.accountId,
        request.body,
      );
      await audit.record(
        { ...clientOf(request), userId: session.userId },
        { action: 'account.reinstatement_requested', accountId: session.accountId, details: {} },
      );
      return view;
    },
  );

  app.post(
    '/api/staff/accounts/:accountId/suspend',
    {
      schema: {
        tags: ['Staff console'],
        summary: 'Suspend an active account with a reason and the details its members read',
        params: StaffAccountParams,
        body: Suspend,
        response: consoleResponses({ 200: SuspensionView }, 404, 409),
      },
    },
    async (request) =>
      suspensions.suspend(
        { ...clientOf(request), staffId: staffSessionOf(request).staffId },
        request.params.accountId,
        request.body,
      ),
  );

  app.post(
    '/api/staff/accounts/:accountId/reinstate',
    {
      schema: {
        tags: ['Staff console'],
        summary: 'Reinstate a suspended account, with a note',
        params: StaffAccountParams,
        body: Reinstate,
        response: consoleResponses({ 204: NoContent }, 404, 409),
      },
    },
    async (request, reply) => {
      await suspensions.reinstate(
        { ...clientOf(request), staffId: staffSessionOf(request).staffId },
        request.params.accountId,
        request.body.note,
      );
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/staff/accounts/:accountId/suspensions',
    {
      schema: {
        tags: ['Staff console'],
        summary: 'The account’s suspensions, newest first, with requests and how each ended',
        params: StaffAccountParams,
        response: consoleResponses({ 200: SuspensionHistory }, 404),
      },
    },
    async (request) => ({ suspensions: await suspensions.history(request.params.accountId) }),
  );
}
