import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { consoleResponses, NoContent } from '../../http/console-schemas.js';
import { clientOf, memberSessionOf } from '../../http/guard.js';
import { apiKeyResources } from '../../http/permissions.js';
import type { AccountService } from '../accounts/service.js';
import type { Factors } from '../identity/factors.js';
import type { ApiKeys } from './api-keys.js';
import {
  ApiKeyList,
  ApiKeyParams,
  CreateApiKey,
  Credentials,
  GenerateToken,
  IssuedApiKey,
  IssuedToken,
  TokenParams,
} from './schemas.js';
import type { CredentialService } from './service.js';

const tags = ['Console: credentials'];

/** What the credentials page needs: the tokens, the account's Auth ID, and the recent-sign-in check. */
export interface CredentialRoutesDeps {
  credentials: Pick<CredentialService, 'view' | 'generate' | 'revoke'>;
  apiKeys: Pick<ApiKeys, 'list' | 'create' | 'revoke'>;
  accounts: Pick<AccountService, 'view'>;
  security: { factors: Pick<Factors, 'assertRecentAuthentication'> };
}

/** Account > Settings > Credentials: Auth ID, Auth Token (reveal/copy), Generate Auth Token, live tokens. */
export function credentialRoutes(parent: FastifyInstance, deps: CredentialRoutesDeps) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { credentials, apiKeys, accounts, security } = deps;

  app.get(
    '/api/credentials',
    {
      schema: {
        tags,
        summary: 'Auth ID, the current Auth Token and the live tokens',
        response: consoleResponses({ 200: Credentials }),
      },
    },
    async (request) => {
      const { accountId } = memberSessionOf(request);
      const [account, tokens] = await Promise.all([accounts.view(accountId), credentials.view(accountId)]);
      return { authId: account.authId, authToken: tokens.authToken, tokens: tokens.tokens };
    },
  );

  app.post(
    '/api/credentials/tokens',
    {
      schema: {
        tags,
        summary:
          'Generate Auth Token, keeping or revoking the old ones (needs a recent sign-in or re-authentication)',
        body: GenerateToken,
        response: consoleResponses({ 201: IssuedToken }),
      },
    },
    async (request, reply) => {
      const session = memberSessionOf(request);
      security.factors.assertRecentAuthentication(session.reauthenticatedAt);
      const issued = await credentials.generate(
        { ...clientOf(request), userId: session.userId },
        session.accountId,
        request.body.keepOldTokens,
      );
      return reply.code(201).send({ id: issued.id, authToken: issued.token });
    },
  );

  app.delete(
    '/api/credentials/tokens/:tokenId',
    {
      schema: {
        tags,
        summary: 'Revoke a kept Auth Token',
        params: TokenParams,
        response: consoleResponses({ 204: NoContent }, 404, 409),
      },
    },
    async (request, reply) => {
      const session = memberSessionOf(request);
      security.factors.assertRecentAuthentication(session.reauthenticatedAt);
      await credentials.revoke(
        { ...clientOf(request), userId: session.userId },
        session.accountId,
        request.params.tokenId,
      );
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/credentials/api-keys',
    {
      schema: {
        tags,
        summary:
          "API Keys: the account's and its subaccounts' restricted keys, and the permissions a key may be given",
        response: consoleResponses({ 200: ApiKeyList }),
      },
    },
    async (request) => {
      const { accountId } = memberSessionOf(request);
      return {
        resources: Object.entries(apiKeyResources).map(([name, actions]) => ({
          name,
          actions: [...actions],
        })),
        keys: await apiKeys.list(accountId),
      };
    },
  );

  app.post(
    '/api/credentials/api-keys',
    {
      schema: {
        tags,
        summary:
          'Create an API key with chosen permissions, source addresses and expiry; its secret is answered this once (needs a recent sign-in or re-authentication)',
        body: CreateApiKey,
        response: consoleResponses({ 201: IssuedApiKey }, 404),
      },
    },
    async (request, reply) => {
      const session = memberSessionOf(request);
      security.factors.assertRecentAuthentication(session.reauthenticatedAt);
      const issued = await apiKeys.create(
        { ...clientOf(request), userId: session.userId },
        session.accountId,
        request.body,
      );
      return reply.code(201).send({ ...issued, bearerToken: `${issued.keyId}.${issued.secret}` });
    },
  );

  app.delete(
    '/api/credentials/api-keys/:keyId',
    {
      schema: {
        tags,
        summary: 'Revoke an API key: refused at once on every instance',
        params: ApiKeyParams,
        response: consoleResponses({ 204: NoContent }, 404, 409),
      },
    },
    async (request, reply) => {
      const session = memberSessionOf(request);
      await apiKeys.revoke(
        { ...clientOf(request), userId: session.userId },
        session.accountId,
        request.params.keyId,
      );
      return reply.code(204).send();
    },
  );
}
