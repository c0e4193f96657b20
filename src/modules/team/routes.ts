import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { clientOf, sessionOf, setSessionCookie, USER_COOKIE } from '../../http/guard.js';
import type { System } from '../../system.js';
import { assignableRoles } from './roles.js';

const tags = ['Console: team'];
const RoleSchema = Type.Union(assignableRoles.map((role) => Type.Literal(role)));
const UserParams = Type.Object({ userId: Type.String({ format: 'uuid' }) });
const InvitationParams = Type.Object({ invitationId: Type.String({ format: 'uuid' }) });

/** Settings > Account > Team, invitation links, and switching between accounts. */
export function teamRoutes(app: FastifyInstance, system: System) {
  const { team } = system;
  const actorOf = (request: Parameters<typeof clientOf>[0]) => ({
    ...clientOf(request),
    userId: sessionOf(request).userId,
  });
  const accountOf = (request: Parameters<typeof clientOf>[0]) => sessionOf(request).accountId as string;

  app.get(
    '/api/team',
    { schema: { tags, summary: 'Members with their roles, and pending invitations' } },
    async (request) => team.view(accountOf(request)),
  );

  app.post<{ Body: { email: string; role: (typeof assignableRoles)[number] } }>(
    '/api/team/invitations',
    {
      schema: {
        tags,
        summary: 'Add New User: invite a work email with a role',
        body: Type.Object({ email: Type.String({ maxLength: 254 }), role: RoleSchema }),
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await team.invite(actorOf(request), accountOf(request), request.role ?? 'support', request.body),
        ),
  );

  app.post<{ Params: { invitationId: string } }>(
    '/api/team/invitations/:invitationId/resend',
    {
      schema: {
        tags,
        summary: 'Resend an invitation (the old link stops working)',
        params: InvitationParams,
      },
    },
    async (request, reply) => {
      await team.resend(actorOf(request), accountOf(request), request.params.invitationId);
      return reply.code(202).send();
    },
  );

  app.delete<{ Params: { invitationId: string } }>(
    '/api/team/invitations/:invitationId',
    { schema: { tags, summary: 'Revoke a pending invitation', params: InvitationParams } },
    async (request, reply) => {
      await team.revoke(actorOf(request), accountOf(request), request.params.invitationId);
      return reply.code(204).send();
    },
  );

  app.put<{ Params: { userId: string }; Body: { role: (typeof assignableRoles)[number] } }>(
    '/api/team/members/:userId/role',
    {
      schema: {
        tags,
        summary: "Change a member's role (never the Owner's)",
        params: UserParams,
        body: Type.Object({ role: RoleSchema }),
      },
    },
    async (request, reply) => {
      await team.changeRole(
        actorOf(request),
        accountOf(request),
        request.role ?? 'support',
        request.params.userId,
        request.body.role,
      );
      return reply.code(204).send();
    },
  );

  app.delete<{ Params: { userId: string } }>(
    '/api/team/members/:userId',
    {
      schema: {
        tags,
        summary: 'Remove a member; their sessions in this account end at once',
        params: UserParams,
      },
    },
    async (request, reply) => {
      await team.remove(
        actorOf(request),
        accountOf(request),
        request.role ?? 'support',
        request.params.userId,
      );
      return reply.code(204).send();
    },
  );

  app.get<{ Params: { token: string } }>(
    '/api/invitations/:token',
    {
      schema: {
        tags,
        summary: 'What an invitation link is for',
        params: Type.Object({ token: Type.String({ maxLength: 200 }) }),
      },
    },
    async (request) => (await team.invitation(request.params.token)).view,
  );

  app.post<{ Body: { token: string; name?: string; password?: string } }>(
    '/api/invitations/accept',
    {
      schema: {
        tags,
        summary:
          'Accept an invitation (new people give a name and password; existing users accept while signed in)',
        body: Type.Object({
          token: Type.String({ maxLength: 200 }),
          name: Type.Optional(Type.String({ maxLength: 100 })),
          password: Type.Optional(Type.String({ maxLength: 256 })),
        }),
      },
    },
    async (request, reply) => {
      const result = await team.accept(request.body.token, request.body, request.session, clientOf(request));
      if (result.sessionToken) setSessionCookie(system.config, reply, USER_COOKIE, result.sessionToken);
      return { accountId: result.accountId, next: result.sessionToken ? 'enroll_two_factor' : 'console' };
    },
  );

  app.post<{ Body: { accountId: string } }>(
    '/api/session/account',
    {
      schema: {
        tags,
        summary: 'Work in another account you belong to',
        body: Type.Object({ accountId: Type.String({ format: 'uuid' }) }),
      },
    },
    async (request, reply) => {
      await team.switchAccount(sessionOf(request), request.body.accountId, clientOf(request));
      return reply.code(204).send();
    },
  );
}
