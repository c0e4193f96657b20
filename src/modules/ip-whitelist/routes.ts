import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { consoleResponses, NoContent } from '../../http/console-schemas.js';
import { clientOf, memberSessionOf } from '../../http/guard.js';
import type { Factors } from '../identity/factors.js';
import { AddCidr, AddedCidr, EntryParams, IpWhitelist, RemoveCidrQuery, SetEnabled } from './schemas.js';
import type { IpWhitelistService } from './service.js';

const tags = ['Console: IP whitelisting'];

/** What IP Whitelisting needs: the list, and the recent-sign-in check for changes. */
export interface IpWhitelistRoutesDeps {
  ipWhitelist: Pick<IpWhitelistService, 'view' | 'add' | 'remove' | 'setEnabled'>;
  security: { factors: Pick<Factors, 'assertRecentAuthentication'> };
}

/** Account > Settings > IP Whitelisting. Changes need a recent sign-in or re-authentication. */
export function ipWhitelistRoutes(parent: FastifyInstance, deps: IpWhitelistRoutesDeps) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { ipWhitelist, security } = deps;

  app.get(
    '/api/ip-whitelist',
    {
      schema: {
        tags,
        summary: 'The CIDR list, whether it is enforced, and your current address',
        response: consoleResponses({ 200: IpWhitelist }),
      },
    },
    async (request) => ({
      ...(await ipWhitelist.view(memberSessionOf(request).accountId)),
      yourAddress: request.ip,
    }),
  );

  app.post(
    '/api/ip-whitelist',
    {
      schema: {
        tags,
        summary: '+ Add CIDR Address (IPv4 or IPv6)',
        body: AddCidr,
        response: consoleResponses({ 201: AddedCidr }, 409),
      },
    },
    async (request, reply) => {
      const session = memberSessionOf(request);
      security.factors.assertRecentAuthentication(session.reauthenticatedAt);
      const entry = await ipWhitelist.add(
        { ...clientOf(request), userId: session.userId },
        session.accountId,
        request.body.cidr,
      );
      return reply.code(201).send(entry);
    },
  );

  app.delete(
    '/api/ip-whitelist/:entryId',
    {
      schema: {
        tags,
        summary: 'Remove a CIDR address (confirmLockout=true when it covers your own address)',
        params: EntryParams,
        querystring: RemoveCidrQuery,
        response: consoleResponses({ 204: NoContent }, 404, 409),
      },
    },
    async (request, reply) => {
      const session = memberSessionOf(request);
      security.factors.assertRecentAuthentication(session.reauthenticatedAt);
      await ipWhitelist.remove(
        { ...clientOf(request), userId: session.userId },
        session.accountId,
        request.params.entryId,
        request.query.confirmLockout ?? false,
      );
      return reply.code(204).send();
    },
  );

  app.put(
    '/api/ip-whitelist/enabled',
    {
      schema: {
        tags,
        summary: 'Turn IP whitelisting on or off (confirmLockout when your own address is not listed)',
        body: SetEnabled,
        response: consoleResponses({ 204: NoContent }, 409),
      },
    },
    async (request, reply) => {
      const session = memberSessionOf(request);
      security.factors.assertRecentAuthentication(session.reauthenticatedAt);
      await ipWhitelist.setEnabled(
        { ...clientOf(request), userId: session.userId },
        session.accountId,
        request.body.enabled,
        request.body.confirmLockout ?? false,
      );
      return reply.code(204).send();
    },
  );
}
