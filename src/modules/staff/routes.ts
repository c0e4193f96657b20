import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.js';
import { consoleResponses, NoContent } from '../../http/console-schemas.js';
import {
  clearSessionCookie,
  clientOf,
  STAFF_COOKIE,
  sessionOf,
  setSessionCookie,
  staffSessionOf,
} from '../../http/guard.js';
import type { AccountService } from '../accounts/service.js';
import type { RateLimitService } from '../rate-limits/service.js';
import {
  AccountMatches,
  AccountParams,
  AccountSearchQuery,
  CompleteSetup,
  RateLimits,
  ReviewDecided,
  ReviewDecision,
  ReviewQueue,
  SetRateLimits,
  SetupDetails,
  SetupTokenParams,
  StaffCode,
  StaffPasswordAccepted,
  StaffPasswordSignIn,
  StaffSessionView,
  StaffSignedIn,
} from './schemas.js';
import type { StaffService } from './service.js';

const tags = ['Staff console'];

/** What the staff door needs: staff sign-in, the accounts staff review and find, and their rate limits. */
export interface StaffRoutesDeps {
  staff: Pick<
    StaffService,
    'setupDetails' | 'completeSetup' | 'signInWithPassword' | 'signInWithCode' | 'byId' | 'signOut'
  >;
  accounts: Pick<AccountService, 'reviewQueue' | 'search' | 'view' | 'decideReview'>;
  rateLimits: Pick<RateLimitService, 'forAccount' | 'set'>;
  config: Pick<Config, 'environment' | 'sessionAbsoluteHours'>;
}

/** The staff door: setup from the CLI's link, sign-in with an authenticator app, the review queue. */
export function staffRoutes(parent: FastifyInstance, deps: StaffRoutesDeps) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { staff, accounts, rateLimits } = deps;

  app.get(
    '/api/staff/setup/:token',
    {
      schema: {
        tags,
        summary: 'What a setup link is for, with the authenticator QR code',
        params: SetupTokenParams,
        response: consoleResponses({ 200: SetupDetails }, 404, 410),
      },
    },
    async (request) => staff.setupDetails(request.params.token),
  );

  app.post(
    '/api/staff/setup',
    {
      schema: {
        tags,
        summary: 'Set password and authenticator app from a setup link',
        body: CompleteSetup,
        response: consoleResponses({ 204: NoContent }, 404, 410),
      },
    },
    async (request, reply) => {
      await staff.completeSetup(request.body, clientOf(request));
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/staff/session',
    {
      schema: {
        tags,
        summary: 'Staff sign-in, step 1: email and password; answers the CSRF token for step 2',
        body: StaffPasswordSignIn,
        response: consoleResponses({ 200: StaffPasswordAccepted }, 429),
      },
    },
    async (request, reply) => {
      const { sessionToken, csrfToken } = await staff.signInWithPassword(
        request.body,
        clientOf(request),
        request.session,
      );
      setSessionCookie(deps.config, reply, STAFF_COOKIE, sessionToken);
      return { stage: 'second_factor' as const, csrfToken };
    },
  );

  app.post(
    '/api/staff/session/second-factor',
    {
      schema: {
        tags,
        summary: 'Staff sign-in, step 2: authenticator code',
        body: StaffCode,
        response: consoleResponses({ 200: StaffSignedIn }, 429),
      },
    },
    async (request, reply) => {
      const { sessionToken } = await staff.signInWithCode(
        staffSessionOf(request),
        request.body.code,
        clientOf(request),
      );
      setSessionCookie(deps.config, reply, STAFF_COOKIE, sessionToken);
      return { stage: 'full' as const };
    },
  );

  app.get(
    '/api/staff/session',
    {
      schema: {
        tags,
        summary: 'The signed-in staff member',
        response: consoleResponses({ 200: StaffSessionView }),
      },
    },
    async (request) => {
      const session = staffSessionOf(request);
      const member = await staff.byId(session.staffId);
      return {
        csrfToken: session.csrfToken,
        staff: { id: member.id, email: member.email, name: member.name, role: member.role },
      };
    },
  );

  app.delete(
    '/api/staff/session',
    { schema: { tags, summary: 'Staff sign-out', response: consoleResponses({ 204: NoContent }) } },
    async (request, reply) => {
      await staff.signOut(sessionOf(request), clientOf(request));
      clearSessionCookie(deps.config, reply, STAFF_COOKIE);
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/staff/reviews',
    {
      schema: {
        tags,
        summary: 'Accounts held for activation review, oldest first',
        response: consoleResponses({ 200: ReviewQueue }),
      },
    },
    async () => ({ accounts: await accounts.reviewQueue() }),
  );

  app.get(
    '/api/staff/accounts',
    {
      schema: {
        tags,
        summary:
          'Find accounts by Auth ID, name, company name, owner email or a rented phone number (E.164 or digits)',
        querystring: AccountSearchQuery,
        response: consoleResponses({ 200: AccountMatches }),
      },
    },
    async (request) => ({ accounts: await accounts.search(request.query.q) }),
  );

  app.get(
    '/api/staff/accounts/:accountId/rate-limits',
    {
      schema: {
        tags,
        summary: "An account's API rate limits per class",
        params: AccountParams,
        response: consoleResponses({ 200: RateLimits }),
      },
    },
    async (request) => ({ limits: await rateLimits.forAccount(request.params.accountId) }),
  );

  app.put(
    '/api/staff/accounts/:accountId/rate-limits',
    {
      schema: {
        tags,
        summary:
          'Set requests per second per class (Enterprise limits), with the reason the customer reads; null returns a class to the default',
        params: AccountParams,
        body: SetRateLimits,
        response: consoleResponses({ 200: RateLimits }, 404),
      },
    },
    async (request) => {
      await accounts.view(request.params.accountId);
      const { reason, ...changes } = request.body;
      const limits = await rateLimits.set(
        { ...clientOf(request), staffId: staffSessionOf(request).staffId },
        request.params.accountId,
        changes,
        reason,
      );
      return { limits };
    },
  );

  app.post(
    '/api/staff/reviews/:accountId/decision',
    {
      schema: {
        tags,
        summary: 'Approve or reject an account under review, with a note (the owner is emailed)',
        params: AccountParams,
        body: ReviewDecision,
        response: consoleResponses({ 200: ReviewDecided }, 404, 409),
      },
    },
    async (request) => {
      const account = await accounts.decideReview(
        { ...clientOf(request), staffId: staffSessionOf(request).staffId },
        request.params.accountId,
        request.body.decision,
        request.body.note,
      );
      return { account };
    },
  );
}
