import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { NoContent } from '../../http/common-schemas.js';
import { ConsoleError, consoleErrors } from '../../http/console-schemas.js';
import { clientOf, memberSessionOf } from '../../http/guard.js';
import type { CredentialService } from '../credentials/service.js';
import type { Factors } from '../identity/factors.js';
import {
  ConsoleSenderIdParams,
  ConsoleSubaccountChange,
  ConsoleSubaccountCreate,
  ConsoleSubaccountCreated,
  ConsoleSubaccountParams,
  ConsoleSubaccounts,
  SenderId,
  SenderIdAdd,
  SenderIds,
  TokenGenerated,
  TokenGeneration,
} from './schemas.js';
import type { SenderIdService } from './sender-ids.js';
import type { SubaccountService } from './service.js';

/** What the Subaccounts page's routes use. */
export interface SubaccountRoutesDeps {
  subaccounts: SubaccountService;
  senderIds: SenderIdService;
  credentials: Pick<CredentialService, 'generate'>;
  security: { factors: Pick<Factors, 'assertRecentAuthentication'> };
}

const tags = ['Console: subaccounts'];
/** The refusals of routes whose service can also answer 409 (in use, already whitelisted). */
const withConflict = { ...consoleErrors, 409: ConsoleError };

/** The Subaccounts page: create, rename, enable or disable, regenerate tokens, delete (refused while in use). */
export function subaccountRoutes(
  parent: FastifyInstance,
  { subaccounts, credentials, security, senderIds }: SubaccountRoutesDeps,
) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const mainOf = (request: FastifyRequest) => memberSessionOf(request).accountId;
  const actorOf = (request: FastifyRequest) => ({
    ...clientOf(request),
    userId: memberSessionOf(request).userId,
  });

  app.get(
    '/api/subaccounts',
    {
      schema: {
        tags,
        summary: 'Subaccounts with their Auth ID and Auth Token',
        response: { 200: ConsoleSubaccounts, ...consoleErrors },
      },
    },
    async (request) => {
      const page = await subaccounts.page(mainOf(request), 500, 0);
      return {
        subaccounts: page.subaccounts.map((sub) => ({
          ...sub,
          createdAt: sub.createdAt.toISOString(),
          modifiedAt: sub.modifiedAt?.toISOString() ?? null,
        })),
        total: page.total,
      };
    },
  );

  app.post(
    '/api/subaccounts',
    {
      schema: {
        tags,
        summary: 'Create Subaccount',
        body: ConsoleSubaccountCreate,
        response: { 201: ConsoleSubaccountCreated, ...consoleErrors },
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

  app.patch(
    '/api/subaccounts/:authId',
    {
      schema: {
        tags,
        summary: 'Rename, enable or disable a subaccount',
        params: ConsoleSubaccountParams,
        body: ConsoleSubaccountChange,
        response: { 204: NoContent, ...consoleErrors },
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

  app.post(
    '/api/subaccounts/:authId/tokens',
    {
      schema: {
        tags,
        summary: "Generate a subaccount's Auth Token, keeping or revoking the old one",
        params: ConsoleSubaccountParams,
        body: TokenGeneration,
        response: { 201: TokenGenerated, ...consoleErrors },
      },
    },
    async (request, reply) => {
      security.factors.assertRecentAuthentication(memberSessionOf(request).reauthenticatedAt);
      const sub = await subaccounts.get(mainOf(request), request.params.authId);
      const issued = await credentials.generate(actorOf(request), sub.id, request.body.keepOldTokens);
      return reply.code(201).send({ id: issued.id, authToken: issued.token });
    },
  );

  app.get(
    '/api/subaccounts/:authId/sender-ids',
    {
      schema: {
        tags,
        summary: "A subaccount's whitelisted sender IDs",
        params: ConsoleSubaccountParams,
        response: { 200: SenderIds, ...consoleErrors },
      },
    },
    async (request) => {
      const sub = await subaccounts.get(mainOf(request), request.params.authId);
      const list = await senderIds.list(sub.id);
      return { senderIds: list.map((row) => ({ ...row, createdAt: row.createdAt.toISOString() })) };
    },
  );

  app.post(
    '/api/subaccounts/:authId/sender-ids',
    {
      schema: {
        tags,
        summary: 'Whitelist a sender ID (alphanumeric, or a phone number) for a subaccount',
        params: ConsoleSubaccountParams,
        body: SenderIdAdd,
        response: { 201: SenderId, ...withConflict },
      },
    },
    async (request, reply) => {
      const sub = await subaccounts.get(mainOf(request), request.params.authId);
      return reply
        .code(201)
        .send(await senderIds.add(actorOf(request), mainOf(request), sub.id, request.body.senderId));
    },
  );

  app.delete(
    '/api/subaccounts/:authId/sender-ids/:senderIdId',
    {
      schema: {
        tags,
        summary: 'Remove a whitelisted sender ID',
        params: ConsoleSenderIdParams,
        response: { 204: NoContent, ...consoleErrors },
      },
    },
    async (request, reply) => {
      const sub = await subaccounts.get(mainOf(request), request.params.authId);
      await senderIds.remove(actorOf(request), mainOf(request), sub.id, request.params.senderIdId);
      return reply.code(204).send();
    },
  );

  app.delete(
    '/api/subaccounts/:authId',
    {
      schema: {
        tags,
        summary: 'Delete a subaccount (refused while it holds numbers or applications)',
        params: ConsoleSubaccountParams,
        response: { 204: NoContent, ...withConflict },
      },
    },
    async (request, reply) => {
      await subaccounts.remove(actorOf(request), mainOf(request), request.params.authId, 'refuse');
      return reply.code(204).send();
    },
  );
}
