import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { clientOf, sessionOf } from '../../http/guard.js';
import type { System } from '../../system.js';

const tags = ['Console: credentials'];

/** Account > Settings > Credentials: Auth ID, Auth Token (reveal/copy), Generate Auth Token, live tokens. */
export function credentialRoutes(app: FastifyInstance, system: System) {
  const { credentials, accounts, security } = system;

  app.get(
    '/api/credentials',
    { schema: { tags, summary: 'Auth ID, the current Auth Token and the live tokens' } },
    async (request) => {
      const accountId = sessionOf(request).accountId as string;
      const [account, tokens] = await Promise.all([accounts.view(accountId), credentials.view(accountId)]);
      return { authId: account.authId, authToken: tokens.authToken, tokens: tokens.tokens };
    },
  );

  app.post<{ Body: { keepOldTokens: boolean } }>(
    '/api/credentials/tokens',
    {
      schema: {
        tags,
        summary:
          'Generate Auth Token, keeping or revoking the old ones (needs a recent sign-in or re-authentication)',
        body: Type.Object({ keepOldTokens: Type.Boolean() }),
      },
    },
    async (request, reply) => {
      const session = sessionOf(request);
      security.factors.assertRecentAuthentication(session.reauthenticatedAt);
      const issued = await credentials.generate(
        { ...clientOf(request), userId: session.userId },
        session.accountId as string,
        request.body.keepOldTokens,
      );
      return reply.code(201).send({ id: issued.id, authToken: issued.token });
    },
  );

  app.delete<{ Params: { tokenId: string } }>(
    '/api/credentials/tokens/:tokenId',
    {
      schema: {
        tags,
        summary: 'Revoke a kept Auth Token',
        params: Type.Object({ tokenId: Type.String({ format: 'uuid' }) }),
      },
    },
    async (request, reply) => {
      const session = sessionOf(request);
      security.factors.assertRecentAuthentication(session.reauthenticatedAt);
      await credentials.revoke(
        { ...clientOf(request), userId: session.userId },
        session.accountId as string,
        request.params.tokenId,
      );
      return reply.code(204).send();
    },
  );
}
