import { Readable } from 'node:stream';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { consoleResponses, NoContent } from '../../http/console-schemas.js';
import { clientOf, memberSessionOf } from '../../http/guard.js';
import type { ApiScope } from '../accounts/scope.js';
import { AuditErrors } from './errors.js';
import {
  AuditCsv,
  AuditEventPage,
  type AuditExportQuery,
  AuditLogQuery,
  AuditWebhook,
  AuditWebhookSecret,
  AuditWebhookUpdate,
  AuditExportQuery as ExportQuery,
} from './schemas.js';
import type { AuditEvents, AuditQuery } from './service.js';
import type { TimeBound } from './store.js';

/** What Account > Settings > Audit Log uses. */
export interface AuditRoutesDeps {
  auditEvents: Pick<
    AuditEvents,
    'filter' | 'page' | 'csv' | 'webhook' | 'setWebhook' | 'removeWebhook' | 'rotateSecret'
  >;
}

const tags = ['Console: audit log'];

/** The console works in a main account: it reads its own events and its subaccounts'. */
const scopeOf = (request: FastifyRequest): ApiScope => ({
  mainAccountId: memberSessionOf(request).accountId,
  mainAuthId: '',
  subaccount: null,
});

const time = (field: string, text: string | undefined, operator: TimeBound['operator']): TimeBound[] => {
  if (!text?.trim()) return [];
  const at = new Date(text.trim());
  if (Number.isNaN(at.getTime())) throw AuditErrors.invalidTime(field, text);
  return [{ operator, at }];
};

/** The page's filters as the service takes them: from and to both included. */
export const consoleQuery = (query: AuditExportQuery): AuditQuery => ({
  actor: query.actor,
  action: query.action,
  resource: query.resource,
  ip: query.ip,
  subaccount: query.subaccount,
  times: [...time('from', query.from, '>='), ...time('to', query.to, '<=')],
});

/** Account > Settings > Audit Log (Owner and Admin): the events, their export, and the webhook. */
export function auditRoutes(parent: FastifyInstance, { auditEvents }: AuditRoutesDeps) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const actorOf = (request: FastifyRequest) => ({
    ...clientOf(request),
    userId: memberSessionOf(request).userId,
  });

  app.get(
    '/api/audit/events',
    {
      schema: {
        tags,
        summary:
          'Audit events of the account and its subaccounts, newest first, filtered by actor, action, resource, time and source IP',
        querystring: AuditLogQuery,
        response: consoleResponses({ 200: AuditEventPage }),
      },
    },
    async (request) => {
      const { limit, offset } = request.query;
      const filter = await auditEvents.filter(scopeOf(request), consoleQuery(request.query));
      return auditEvents.page(filter, { limit, offset });
    },
  );

  app.get(
    '/api/audit/events.csv',
    {
      schema: {
        tags,
        summary: 'Export CSV: every audit event of the filters, newest first, streamed a page at a time',
        querystring: ExportQuery,
        produces: ['text/csv'],
        response: consoleResponses({ 200: AuditCsv }),
      },
    },
    async (request, reply) => {
      // Checked before the first byte: a bad filter still answers 400 in the console's shape.
      const filter = await auditEvents.filter(scopeOf(request), consoleQuery(request.query));
      // A stream is sent as it is read (never serialized): the schema's string documents the body.
      const body = Readable.from(auditEvents.csv(filter), { highWaterMark: 1 }) as unknown as string;
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="audit-log.csv"')
        .header('cache-control', 'no-store')
        .send(body);
    },
  );

  app.get(
    '/api/audit/webhook',
    {
      schema: {
        tags,
        summary: 'Where each new audit event is POSTed, signed (the secret is shown only when issued)',
        response: consoleResponses({ 200: AuditWebhook }, 404),
      },
    },
    async (request) => auditEvents.webhook(memberSessionOf(request).accountId),
  );

  app.put(
    '/api/audit/webhook',
    {
      schema: {
        tags,
        summary:
          'Set the audit webhook URL (https; never a private address in production); a first webhook gets its signing secret in this answer, once',
        body: AuditWebhookUpdate,
        response: consoleResponses({ 200: AuditWebhook }, 404),
      },
    },
    async (request) =>
      auditEvents.setWebhook(actorOf(request), memberSessionOf(request).accountId, request.body.url),
  );

  app.delete(
    '/api/audit/webhook',
    {
      schema: {
        tags,
        summary: 'Stop POSTing audit events',
        response: consoleResponses({ 204: NoContent }, 404),
      },
    },
    async (request, reply) => {
      await auditEvents.removeWebhook(actorOf(request), memberSessionOf(request).accountId);
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/audit/webhook/secret',
    {
      schema: {
        tags,
        summary: 'Issue a new signing secret (the old one stops signing at once); shown this once',
        response: consoleResponses({ 200: AuditWebhookSecret }, 404, 409),
      },
    },
    async (request) => ({
      secret: await auditEvents.rotateSecret(actorOf(request), memberSessionOf(request).accountId),
    }),
  );
}
