import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { clientOf, sessionOf } from '../../http/guard.js';
import type { System } from '../../system.js';

const tags = ['Console: subaccounts'];
const SubaccountParams = Type.Object({ authId: Type.String({ maxLength: 40 }) });

/** The Subaccounts page: create, rename, enable or disable, regenerate tokens, delete (refused while in use). */
export function subaccountRoutes(app: FastifyInstance, system: System) {
  const { subaccounts, credentials, security, senderIds } = system;
  const mainOf = (request: FastifyRequest) => sessionOf(request).accountId as string;
  const actorOf = (request: FastifyRequest) => ({ ...clientOf(request), userId: sessionOf(request).userId });

  app.get(
    '/api/subaccounts',
    { schema: { tags, summary: 'Subaccounts with their Auth ID and Auth Token' } },
    async (request) => {
      const page = await subaccounts.page(mainOf(request), 500, 0);
      return { subaccounts: page.subaccounts, total: page.total };
    },
  );

  app.post<{ Body: { name: string; enabled?: boolean } }>(
    '/api/subaccounts',
    {
      schema: {
        tags,
        summary: 'Create Subaccount',
        body: Type.Object({ name: Type.String({ maxLength: 100 }), enabled: Type.Optional(Type.Boolean()) }),
      },
    },
    async (request, reply) => {
      const created = await subaccounts.create(actorOf(request), mainOf(request), {
        name: request.body.name,
        enabled: request.body.enabled ?? true,
      });
      return reply.code(201).send(created);
    },
  );

  app.patch<{ Params: { authId: string }; Body: { name?: string; enabled?: boolean } }>(
    '/api/subaccounts/:authId',
    {
      schema: {
        tags,
        summary: 'Rename, enable or disable a subaccount',
        params: SubaccountParams,
        body: Type.Object({
          name: Type.Optional(Type.String({ maxLength: 100 })),
          enabled: Type.Optional(Type.Boolean()),
        }),
      },
    },
    async (request, reply) => {
      const current = await subaccounts.get(mainOf(request), request.params.authId);
      await subaccounts.update(actorOf(request), mainOf(request), request.params.authId, {
        name: request.body.name ?? current.name,
        enabled: request.body.enabled,
      });
      return reply.code(204).send();
    },
  );

  app.post<{ Params: { authId: string }; Body: { keepOldTokens: boolean } }>(
    '/api/subaccounts/:authId/tokens',
    {
      schema: {
        tags,
        summary: "Generate a subaccount's Auth Token, keeping or revoking the old one",
        params: SubaccountParams,
        body: Type.Object({ keepOldTokens: Type.Boolean() }),
      },
    },
    async (request, reply) => {
      security.factors.assertRecentAuthentication(sessionOf(request).reauthenticatedAt);
      const sub = await subaccounts.get(mainOf(request), request.params.authId);
      const issued = await credentials.generate(actorOf(request), sub.id, request.body.keepOldTokens);
      return reply.code(201).send({ id: issued.id, authToken: issued.token });
    },
  );

  app.get<{ Params: { authId: string } }>(
    '/api/subaccounts/:authId/sender-ids',
    { schema: { tags, summary: "A subaccount's whitelisted sender IDs", params: SubaccountParams } },
    async (request) => {
      const sub = await subaccounts.get(mainOf(request), request.params.authId);
      return { senderIds: await senderIds.list(sub.id) };
    },
  );

  app.post<{ Params: { authId: string }; Body: { senderId: string } }>(
    '/api/subaccounts/:authId/sender-ids',
    {
      schema: {
        tags,
        summary: 'Whitelist a sender ID (alphanumeric, or a phone number) for a subaccount',
        params: SubaccountParams,
        body: Type.Object({ senderId: Type.String({ maxLength: 32 }) }),
      },
    },
    async (request, reply) => {
      const sub = await subaccounts.get(mainOf(request), request.params.authId);
      return reply
        .code(201)
        .send(await senderIds.add(actorOf(request), mainOf(request), sub.id, request.body.senderId));
    },
  );

  app.delete<{ Params: { authId: string; senderIdId: string } }>(
    '/api/subaccounts/:authId/sender-ids/:senderIdId',
    {
      schema: {
        tags,
        summary: 'Remove a whitelisted sender ID',
        params: Type.Object({
          authId: Type.String({ maxLength: 40 }),
          senderIdId: Type.String({ format: 'uuid' }),
        }),
      },
    },
    async (request, reply) => {
      const sub = await subaccounts.get(mainOf(request), request.params.authId);
      await senderIds.remove(actorOf(request), mainOf(request), sub.id, request.params.senderIdId);
      return reply.code(204).send();
    },
  );

  app.delete<{ Params: { authId: string } }>(
    '/api/subaccounts/:authId',
    {
      schema: {
        tags,
        summary: 'Delete a subaccount (refused while it holds numbers or applications)',
        params: SubaccountParams,
      },
    },
    async (request, reply) => {
      await subaccounts.remove(actorOf(request), mainOf(request), request.params.authId, 'refuse');
      return reply.code(204).send();
    },
  );
}
