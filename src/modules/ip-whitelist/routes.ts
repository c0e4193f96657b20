import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { clientOf, sessionOf } from '../../http/guard.js';
import type { System } from '../../system.js';

const tags = ['Console: IP whitelisting'];

/** Account > Settings > IP Whitelisting. Changes need a recent sign-in or re-authentication. */
export function ipWhitelistRoutes(app: FastifyInstance, system: System) {
  const { ipWhitelist, security } = system;

  app.get(
    '/api/ip-whitelist',
    { schema: { tags, summary: 'The CIDR list, whether it is enforced, and your current address' } },
    async (request) => ({
      ...(await ipWhitelist.view(sessionOf(request).accountId as string)),
      yourAddress: request.ip,
    }),
  );

  app.post<{ Body: { cidr: string } }>(
    '/api/ip-whitelist',
    {
      schema: {
        tags,
        summary: '+ Add CIDR Address (IPv4 or IPv6)',
        body: Type.Object({ cidr: Type.String({ maxLength: 64 }) }),
      },
    },
    async (request, reply) => {
      const session = sessionOf(request);
      security.factors.assertRecentAuthentication(session.reauthenticatedAt);
      const entry = await ipWhitelist.add(
        { ...clientOf(request), userId: session.userId },
        session.accountId as string,
        request.body.cidr,
      );
      return reply.code(201).send(entry);
    },
  );

  app.delete<{ Params: { entryId: string }; Querystring: { confirmLockout?: boolean } }>(
    '/api/ip-whitelist/:entryId',
    {
      schema: {
        tags,
        summary: 'Remove a CIDR address (confirmLockout=true when it covers your own address)',
        params: Type.Object({ entryId: Type.String({ format: 'uuid' }) }),
        querystring: Type.Object({ confirmLockout: Type.Optional(Type.Boolean()) }),
      },
    },
    async (request, reply) => {
      const session = sessionOf(request);
      security.factors.assertRecentAuthentication(session.reauthenticatedAt);
      await ipWhitelist.remove(
        { ...clientOf(request), userId: session.userId },
        session.accountId as string,
        request.params.entryId,
        request.query.confirmLockout ?? false,
      );
      return reply.code(204).send();
    },
  );

  app.put<{ Body: { enabled: boolean; confirmLockout?: boolean } }>(
    '/api/ip-whitelist/enabled',
    {
      schema: {
        tags,
        summary: 'Turn IP whitelisting on or off (confirmLockout when your own address is not listed)',
        body: Type.Object({ enabled: Type.Boolean(), confirmLockout: Type.Optional(Type.Boolean()) }),
      },
    },
    async (request, reply) => {
      const session = sessionOf(request);
      security.factors.assertRecentAuthentication(session.reauthenticatedAt);
      await ipWhitelist.setEnabled(
        { ...clientOf(request), userId: session.userId },
        session.accountId as string,
        request.body.enabled,
        request.body.confirmLockout ?? false,
      );
      return reply.code(204).send();
    },
  );
}
