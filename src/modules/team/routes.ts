import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../../config.js';
import { consoleResponses, NoContent } from '../../http/console-schemas.js';
import { clientOf, memberSessionOf, setSessionCookie, USER_COOKIE, userSessionOf } from '../../http/guard.js';
import {
  AcceptInvitation,
  ChangeRole,
  InvitationAccepted,
  InvitationParams,
  InvitationSent,
  InvitationTokenParams,
  InvitationView,
  Invite,
  SwitchAccount,
  Team,
  UserParams,
} from './schemas.js';
import type { TeamService } from './service.js';

const tags = ['Console: team'];

/** What the team pages need: the team service, and the cookie settings for an invitee's first session. */
export interface TeamRoutesDeps {
  team: Pick<
    TeamService,
    | 'view'
    | 'invite'
    | 'resend'
    | 'revoke'
    | 'changeRole'
    | 'remove'
    | 'invitation'
    | 'accept'
    | 'switchAccount'
  >;
  config: Pick<Config, 'environment' | 'sessionAbsoluteHours'>;
}

/** Settings > Account > Team, invitation links, and switching between accounts. */
export function teamRoutes(parent: FastifyInstance, deps: TeamRoutesDeps) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { team } = deps;
  const actorOf = (request: FastifyRequest) => ({
    ...clientOf(request),
    userId: memberSessionOf(request).userId,
  });
  const accountOf = (request: FastifyRequest) => memberSessionOf(request).accountId;

  app.get(
    '/api/team',
    {
      schema: {
        tags,
        summary: 'Members with their roles, and pending invitations',
        response: consoleResponses({ 200: Team }),
      },
    },
    async (request) => team.view(accountOf(request)),
  );

  app.post(
    '/api/team/invitations',
    {
      schema: {
        tags,
        summary: 'Add New User: invite a work email with a role',
        body: Invite,
        response: consoleResponses({ 201: InvitationSent }, 409),
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await team.invite(actorOf(request), accountOf(request), request.role ?? 'support', request.body),
        ),
  );

  app.post(
    '/api/team/invitations/:invitationId/resend',
    {
      schema: {
        tags,
        summary: 'Resend an invitation (the old link stops working)',
        params: InvitationParams,
        response: consoleResponses({ 202: NoContent }, 404),
      },
    },
    async (request, reply) => {
      await team.resend(actorOf(request), accountOf(request), request.params.invitationId);
      return reply.code(202).send();
    },
  );

  app.delete(
    '/api/team/invitations/:invitationId',
    {
      schema: {
        tags,
        summary: 'Revoke a pending invitation',
        params: InvitationParams,
        response: consoleResponses({ 204: NoContent }, 404, 409),
      },
    },
    async (request, reply) => {
      await team.revoke(actorOf(request), accountOf(request), request.params.invitationId);
      return reply.code(204).send();
    },
  );

  app.put(
    '/api/team/members/:userId/role',
    {
      schema: {
        tags,
        summary: "Change a member's role (never the Owner's)",
        params: UserParams,
        body: ChangeRole,
        response: consoleResponses({ 204: NoContent }, 404),
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

  app.delete(
    '/api/team/members/:userId',
    {
      schema: {
        tags,
        summary: 'Remove a member; their sessions in this account end at once',
        params: UserParams,
        response: consoleResponses({ 204: NoContent }, 404),
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

  app.get(
    '/api/invitations/:token',
    {
      schema: {
        tags,
        summary: 'What an invitation link is for',
        params: InvitationTokenParams,
        response: consoleResponses({ 200: InvitationView }, 404, 410),
      },
    },
    async (request) => (await team.invitation(request.params.token)).view,
  );

  app.post(
    '/api/invitations/accept',
    {
      schema: {
        tags,
        summary:
          'Accept an invitation (new people give a name and password; existing users accept while signed in)',
        body: AcceptInvitation,
        response: consoleResponses({ 200: InvitationAccepted }, 404, 410),
      },
    },
    async (request, reply) => {
      const result = await team.accept(request.body.token, request.body, request.session, clientOf(request));
      if (result.sessionToken) setSessionCookie(deps.config, reply, USER_COOKIE, result.sessionToken);
      return {
        accountId: result.accountId,
        next: result.sessionToken ? ('enroll_two_factor' as const) : ('console' as const),
      };
    },
  );

  app.post(
    '/api/session/account',
    {
      schema: {
        tags,
        summary: 'Work in another account you belong to',
        body: SwitchAccount,
        response: consoleResponses({ 204: NoContent }, 404),
      },
    },
    async (request, reply) => {
      await team.switchAccount(userSessionOf(request), request.body.accountId, clientOf(request));
      return reply.code(204).send();
    },
  );
}
