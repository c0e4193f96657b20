import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { listEnvelope, PLIVO_OPERATORS, plivoFilterTime } from '../../http/plivo-list.js';
import { AccountParams, PlivoList, plivoErrors } from '../../http/plivo-schemas.js';
import { ValidationFailed } from '../../lib/errors.js';
import { scopeOf } from '../accounts/scope.js';
import { AuditEventListQuery, AuditEventObject } from './schemas.js';
import { type AuditEvents, type AuditQuery, eventObject } from './service.js';
import type { TimeBound } from './store.js';

/** What the /v1 audit API uses. */
export interface AuditApiDeps {
  auditEvents: Pick<AuditEvents, 'filter' | 'page'>;
}

/** The resource this API is (and the permission a restricted API key needs: AuditEvent, read). */
export const AUDIT_EVENT_RESOURCE = 'AuditEvent';

const tags = [`Switchboard extension: ${AUDIT_EVENT_RESOURCE}`];

/** The list's filters as the service takes them; a time it cannot read is a 400 naming the field. */
export function apiQuery(query: AuditEventListQuery): AuditQuery {
  const times: TimeBound[] = [];
  for (const [suffix, operator] of Object.entries(PLIVO_OPERATORS)) {
    const field = `created_at${suffix}` as keyof AuditEventListQuery;
    const text = query[field] as string | undefined;
    if (text === undefined) continue;
    const at = plivoFilterTime(text);
    if (!at)
      throw ValidationFailed(
        'invalid_request',
        `${field} "${text}" is not a time such as 2026-12-06 09:30 (UTC)`,
        [{ field, message: 'a time such as 2026-12-06 09:30 (UTC)' }],
      );
    times.push({ operator, at });
  }
  return {
    actor: query.actor,
    action: query.action,
    resource: query.resource,
    ip: query.ip,
    subaccount: query.subaccount,
    times,
  };
}

/**
 * GET /v1/Account/{auth_id}/AuditEvent/: the account's audit events, newest first, in Plivo's list
 * envelope (a Switchboard extension). A main account's credentials read its own and its
 * subaccounts' events; a subaccount's only its own.
 */
export function auditApiRoutes(door: FastifyInstance, { auditEvents }: AuditApiDeps) {
  const app = door.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    `/Account/:authId/${AUDIT_EVENT_RESOURCE}/`,
    {
      schema: {
        tags,
        summary:
          'List audit events, newest first (Switchboard extension): actor, action, resource, ip, subaccount, created_at with __gt/__gte/__lt/__lte',
        params: AccountParams,
        querystring: AuditEventListQuery,
        response: { 200: PlivoList(AuditEventObject), ...plivoErrors },
      },
    },
    async (request) => {
      const { limit, offset } = request.query;
      const authId = request.apiAccount.authId;
      const filter = await auditEvents.filter(scopeOf(request.apiAccount), apiQuery(request.query));
      const page = await auditEvents.page(filter, { limit, offset });
      return listEnvelope(
        request.apiId,
        `/v1/Account/${authId}/${AUDIT_EVENT_RESOURCE}/`,
        { limit, offset },
        page.total,
        page.events.map(eventObject),
      );
    },
  );
}
