import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../../config.js';
import { consoleResponses } from '../../http/console-schemas.js';
import { clientOf, staffSessionOf } from '../../http/guard.js';
import { sendAttachment, supportBodyLimit } from './routes.js';
import {
  AgentList,
  AssignTicket,
  AttachmentFile,
  AttachmentParams,
  SetTicketStatus,
  StaffReply,
  StaffTicket,
  StaffTicketFilters,
  StaffTicketQueue,
  TicketParams,
} from './schemas.js';
import type { SupportService } from './service.js';

export interface SupportStaffRoutesDeps {
  support: Pick<
    SupportService,
    'queue' | 'staffView' | 'staffReply' | 'setStatus' | 'assign' | 'agents' | 'attachment' | 'staffTicketId'
  >;
  config: Pick<Config, 'supportAttachmentMaxBytes'>;
}

const tags = ['Staff console: tickets'];

/** The staff ticket queue: filters, the SLA clock, assignment, replies and internal notes. */
export function supportStaffRoutes(parent: FastifyInstance, deps: SupportStaffRoutesDeps) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { support } = deps;
  const actorOf = (request: FastifyRequest) => ({
    ...clientOf(request),
    staffId: staffSessionOf(request).staffId,
  });

  app.get(
    '/api/staff/tickets',
    {
      schema: {
        tags,
        summary:
          'The ticket queue, most urgent SLA first; filters by status, priority, category, account, assignee, overdue',
        querystring: StaffTicketFilters,
        response: consoleResponses({ 200: StaffTicketQueue }),
      },
    },
    async (request) => {
      const { assignee, ...filters } = request.query;
      return support.queue({
        ...filters,
        ...(assignee === undefined ? {} : { assigneeId: assignee === 'none' ? null : assignee }),
      });
    },
  );

  app.get(
    '/api/staff/tickets/agents',
    {
      schema: {
        tags,
        summary: 'Staff members tickets can be assigned to',
        response: consoleResponses({ 200: AgentList }),
      },
    },
    async () => support.agents(),
  );

  app.get(
    '/api/staff/tickets/:ticketNumber',
    {
      schema: {
        tags,
        summary: 'A ticket with its whole conversation, internal notes included',
        params: TicketParams,
        response: consoleResponses({ 200: StaffTicket }, 404),
      },
    },
    async (request) => support.staffView(request.params.ticketNumber),
  );

  app.post(
    '/api/staff/tickets/:ticketNumber/replies',
    {
      bodyLimit: supportBodyLimit(deps.config.supportAttachmentMaxBytes),
      schema: {
        tags,
        summary:
          'Answer the customer (emailed), or add an internal note (internal: true, never shown to the customer)',
        params: TicketParams,
        body: StaffReply,
        response: consoleResponses({ 200: StaffTicket }, 404, 409),
      },
    },
    async (request) => support.staffReply(actorOf(request), request.params.ticketNumber, request.body),
  );

  app.put(
    '/api/staff/tickets/:ticketNumber/status',
    {
      schema: {
        tags,
        summary: 'Set the ticket’s status (solved emails the customer)',
        params: TicketParams,
        body: SetTicketStatus,
        response: consoleResponses({ 200: StaffTicket }, 404),
      },
    },
    async (request) => support.setStatus(actorOf(request), request.params.ticketNumber, request.body.status),
  );

  app.put(
    '/api/staff/tickets/:ticketNumber/assignee',
    {
      schema: {
        tags,
        summary: 'Assign the ticket to an agent (emailed), or unassign it (null)',
        params: TicketParams,
        body: AssignTicket,
        response: consoleResponses({ 200: StaffTicket }, 404),
      },
    },
    async (request) => support.assign(actorOf(request), request.params.ticketNumber, request.body.assigneeId),
  );

  app.get(
    '/api/staff/tickets/:ticketNumber/attachments/:attachmentId',
    {
      schema: {
        tags,
        summary: 'Download an attachment of a ticket (internal notes’ too)',
        params: AttachmentParams,
        response: consoleResponses({ 200: AttachmentFile }, 404),
      },
    },
    async (request, reply) =>
      sendAttachment(
        reply,
        await support.attachment(
          await support.staffTicketId(request.params.ticketNumber),
          request.params.attachmentId,
          {
            internal: true,
          },
        ),
      ),
  );
}
