import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { clearSessionCookie, clientOf, STAFF_COOKIE, sessionOf, setSessionCookie } from '../../http/guard.js';
import type { System } from '../../system.js';

const tags = ['Staff console'];

/** The staff door: setup from the CLI's link, sign-in with an authenticator app, the review queue. */
export function staffRoutes(app: FastifyInstance, system: System) {
  const { staff, accounts } = system;

  app.get<{ Params: { token: string } }>(
    '/api/staff/setup/:token',
    {
      schema: {
        tags,
        summary: 'What a setup link is for, with the authenticator QR code',
        params: Type.Object({ token: Type.String() }),
      },
    },
    async (request) => staff.setupDetails(request.params.token),
  );

  app.post<{ Body: { token: string; password: string; code: string } }>(
    '/api/staff/setup',
    {
      schema: {
        tags,
        summary: 'Set password and authenticator app from a setup link',
        body: Type.Object({
          token: Type.String(),
          password: Type.String({ maxLength: 256 }),
          code: Type.String({ maxLength: 12 }),
        }),
      },
    },
    async (request, reply) => {
      await staff.completeSetup(request.body, clientOf(request));
      return reply.code(204).send();
    },
  );

  app.post<{ Body: { email: string; password: string } }>(
    '/api/staff/session',
    {
      schema: {
        tags,
        summary: 'Staff sign-in, step 1: email and password; answers the CSRF token for step 2',
        body: Type.Object({
          email: Type.String({ maxLength: 254 }),
          password: Type.String({ maxLength: 256 }),
        }),
      },
    },
    async (request, reply) => {
      const { sessionToken, csrfToken } = await staff.signInWithPassword(
        request.body,
        clientOf(request),
        request.session,
      );
      setSessionCookie(system.config, reply, STAFF_COOKIE, sessionToken);
      return { stage: 'second_factor', csrfToken };
    },
  );

  app.post<{ Body: { code: string } }>(
    '/api/staff/session/second-factor',
    {
      schema: {
        tags,
        summary: 'Staff sign-in, step 2: authenticator code',
        body: Type.Object({ code: Type.String({ maxLength: 12 }) }),
      },
    },
    async (request, reply) => {
      const { sessionToken } = await staff.signInWithCode(
        sessionOf(request),
        request.body.code,
        clientOf(request),
      );
      setSessionCookie(system.config, reply, STAFF_COOKIE, sessionToken);
      return { stage: 'full' };
    },
  );

  app.get(
    '/api/staff/session',
    { schema: { tags, summary: 'The signed-in staff member' } },
    async (request) => {
      const session = sessionOf(request);
      const member = await staff.byId(session.staffId as string);
      return {
        csrfToken: session.csrfToken,
        staff: { id: member.id, email: member.email, name: member.name, role: member.role },
      };
    },
  );

  app.delete(
    '/api/staff/session',
    { schema: { tags, summary: 'Staff sign-out' } },
    async (request, reply) => {
      await staff.signOut(sessionOf(request), clientOf(request));
      clearSessionCookie(system.config, reply, STAFF_COOKIE);
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/staff/reviews',
    { schema: { tags, summary: 'Accounts held for activation review, oldest first' } },
    async () => ({
      accounts: await accounts.reviewQueue(),
    }),
  );

  app.get<{ Querystring: { q: string } }>(
    '/api/staff/accounts',
    {
      schema: {
        tags,
        summary: 'Find accounts by Auth ID, name or owner email',
        querystring: Type.Object({ q: Type.String({ minLength: 2, maxLength: 200 }) }),
      },
    },
    async (request) => ({ accounts: await accounts.search(request.query.q) }),
  );

  const AccountParams = Type.Object({ accountId: Type.String({ format: 'uuid' }) });
  // One JSON type list, not a union: with a union the validator's type coercion turns null into 0 or 0 into null.
  const Limit = Type.Unsafe<number | null>({ type: ['integer', 'null'], minimum: 0, maximum: 100_000 });
  app.get<{ Params: { accountId: string } }>(
    '/api/staff/accounts/:accountId/rate-limits',
    { schema: { tags, summary: "An account's API rate limits per class", params: AccountParams } },
    async (request) => ({ limits: await system.rateLimits.forAccount(request.params.accountId) }),
  );

  app.put<{
    Params: { accountId: string };
    Body: { standard?: number | null; lookup?: number | null; message?: number | null };
  }>(
    '/api/staff/accounts/:accountId/rate-limits',
    {
      schema: {
        tags,
        summary: 'Set requests per second per class (Enterprise limits); null returns a class to the default',
        params: AccountParams,
        body: Type.Object({
          standard: Type.Optional(Limit),
          lookup: Type.Optional(Limit),
          message: Type.Optional(Limit),
        }),
      },
    },
    async (request) => {
      await accounts.view(request.params.accountId);
      const limits = await system.rateLimits.set(
        { ...clientOf(request), staffId: sessionOf(request).staffId },
        request.params.accountId,
        request.body,
      );
      return { limits };
    },
  );

  app.post<{ Params: { accountId: string }; Body: { decision: 'approve' | 'reject'; note: string } }>(
    '/api/staff/reviews/:accountId/decision',
    {
      schema: {
        tags,
        summary: 'Approve or reject an account under review, with a note (the owner is emailed)',
        params: Type.Object({ accountId: Type.String({ format: 'uuid' }) }),
        body: Type.Object({
          decision: Type.Union([Type.Literal('approve'), Type.Literal('reject')]),
          note: Type.String({ maxLength: 2000 }),
        }),
      },
    },
    async (request) => {
      const session = sessionOf(request);
      const account = await accounts.decideReview(
        { ...clientOf(request), staffId: session.staffId },
        request.params.accountId,
        request.body.decision,
        request.body.note,
      );
      return { account };
    },
  );
}
