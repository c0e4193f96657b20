import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { consoleResponses } from '../../http/console-schemas.js';
import { clientOf, memberSessionOf } from '../../http/guard.js';
import type { Factors } from '../identity/factors.js';
import type { InactivityPolicy } from './inactivity.js';
import { AccountReview, AccountSecured, InactivityStatus, SecureAccountInput } from './schemas.js';
import type { SecureAccount } from './service.js';

const tags = ['Console: profile and security'];

/** What the account's security routes use. */
export interface AccountSecurityRoutesDeps {
  secureAccount: Pick<SecureAccount, 'secure' | 'review'>;
  inactivity: Pick<InactivityPolicy, 'status'>;
  security: { factors: Pick<Factors, 'assertRecentAuthentication'> };
}

/** Account > Settings > Security: "Secure my account", what to review, and the inactive account policy. */
export function accountSecurityRoutes(parent: FastifyInstance, deps: AccountSecurityRoutesDeps) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { secureAccount, inactivity, security } = deps;

  app.post(
    '/api/security/secure-account',
    {
      schema: {
        tags,
        summary:
          'Secure my account: new Auth Token (others revoked), every member signed out and asked for a new password (needs re-authentication)',
        body: SecureAccountInput,
        response: consoleResponses({ 200: AccountSecured }),
      },
    },
    async (request) => {
      const session = memberSessionOf(request);
      security.factors.assertRecentAuthentication(session.reauthenticatedAt);
      return secureAccount.secure(
        { ...clientOf(request), userId: session.userId, sessionId: session.id },
        session.accountId,
        { includeSubaccounts: request.body.includeSubaccounts },
      );
    },
  );

  app.get(
    '/api/security/account-review',
    {
      schema: {
        tags,
        summary: 'What to review after a compromise: sign-ins, receipts, usage, team changes, members',
        response: consoleResponses({ 200: AccountReview }),
      },
    },
    async (request) => secureAccount.review(memberSessionOf(request).accountId),
  );

  app.get(
    '/api/security/inactivity-policy',
    {
      schema: {
        tags,
        summary: 'The inactive account policy, its numbers, and when the account was last active',
        response: consoleResponses({ 200: InactivityStatus }),
      },
    },
    async (request) => inactivity.status(memberSessionOf(request).accountId),
  );
}
