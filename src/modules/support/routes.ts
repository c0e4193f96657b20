import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.js';
import { consoleResponses } from '../../http/console-schemas.js';
import { clientOf, memberSessionOf } from '../../http/guard.js';
import {
  AccessAttachmentParams,
  AttachmentFile,
  AttachmentParams,
  CreateTicket,
  CustomerTicket,
  CustomerTicketList,
  MAX_ATTACHMENTS,
  NeutralAnswer,
  OpenLink,
  Reply,
  StatusLookup,
  TicketAccess,
  TicketCreated,
  TicketParams,
} from './schemas.js';
import type { SupportService } from './service.js';

export interface SupportRoutesDeps {
  support: Pick<
    SupportService,
    | 'create'
    | 'requestStatusLink'
    | 'openLink'
    | 'ticketOfAccess'
    | 'ticketOfAccount'
    | 'listForAccount'
    | 'customerView'
    | 'customerReply'
    | 'reopen'
    | 'attachment'
  >;
  config: Pick<Config, 'supportAttachmentMaxBytes'>;
}

const tags = ['Console: support tickets'];

/** A body with every attachment at its largest (base64) and the text around them. */
export const supportBodyLimit = (maxBytes: number) => MAX_ATTACHMENTS * Math.ceil(maxBytes / 3) * 4 + 100_000;

/** Sends an attachment as a download: its bytes as they are, typed by what its content showed. */
export function sendAttachment(
  reply: FastifyReply,
  file: { fileName: string; contentType: string; bytes: Buffer },
) {
  const ascii = file.fileName.replace(/[^\w.\- ]/g, '_');
  return (
    reply
      .type(file.contentType)
      .header(
        'content-disposition',
        `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
      )
      .header('cache-control', 'private, no-store')
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'; sandbox")
      // Bytes are sent as they are, never serialized: the route's schema documents what they carry.
      .send(file.bytes as unknown as string)
  );
}

/**
 * /support: anyone creates a ticket and checks its status by the link emailed to the ticket's
 * address (routes under /api/support/access/… take that link's access key in X-Ticket-Access);
 * members follow their account's tickets under /api/tickets.
 */
export function supportRoutes(parent: FastifyInstance, deps: SupportRoutesDeps) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { support } = deps;
  const bodyLimit = supportBodyLimit(deps.config.supportAttachmentMaxBytes);
  const memberActor = (request: FastifyRequest) => ({
    ...clientOf(request),
    userId: memberSessionOf(request).userId,
  });
  const accessOf = (request: FastifyRequest) => {
    const header = request.headers['x-ticket-access'];
    return support.ticketOfAccess(typeof header === 'string' ? header : undefined);
  };
  const accountTicket = (request: FastifyRequest) =>
    support.ticketOfAccount(
      memberSessionOf(request).accountId,
      (request.params as { ticketNumber: string }).ticketNumber,
    );

  app.post(
    '/api/support/tickets',
    {
      bodyLimit,
      schema: {
        tags,
        summary: 'Create a ticket without signing in; the ticket number is answered and emailed',
        body: CreateTicket,
        response: consoleResponses({ 201: TicketCreated }, 429),
      },
    },
    async (request, reply) => reply.code(201).send(await support.create(clientOf(request), request.body)),
  );

  app.post(
    '/api/support/status',
    {
      schema: {
        tags,
        summary:
          'Check Ticket Status: emails a one-time link to the ticket’s address when number and email match; the same answer either way',
        body: StatusLookup,
        response: consoleResponses({ 202: NeutralAnswer }, 429),
      },
    },
    async (request, reply) =>
      reply.code(202).send({ message: await support.requestStatusLink(clientOf(request), request.body) }),
  );

  app.post(
    '/api/support/access',
    {
      schema: {
        tags,
        summary: 'Open an emailed ticket link (once): answers the ticket and an access key for an hour',
        body: OpenLink,
        response: consoleResponses({ 200: TicketAccess }, 404, 429),
      },
    },
    async (request) => support.openLink(clientOf(request), request.body.token),
  );

  app.get(
    '/api/support/access/ticket',
    {
      schema: {
        tags,
        summary: 'The ticket an access key opens (X-Ticket-Access)',
        response: consoleResponses({ 200: CustomerTicket }, 404),
      },
    },
    async (request) => support.customerView(await accessOf(request)),
  );

  app.post(
    '/api/support/access/replies',
    {
      bodyLimit,
      schema: {
        tags,
        summary: 'Reply on the ticket an access key opens',
        body: Reply,
        response: consoleResponses({ 200: CustomerTicket }, 404, 409),
      },
    },
    async (request) => support.customerReply(clientOf(request), await accessOf(request), request.body),
  );

  app.post(
    '/api/support/access/reopen',
    {
      schema: {
        tags,
        summary: 'Reopen a solved ticket (within the reopen window) that an access key opens',
        response: consoleResponses({ 200: CustomerTicket }, 404, 409),
      },
    },
    async (request) => support.reopen(clientOf(request), await accessOf(request)),
  );

  app.get(
    '/api/support/access/attachments/:attachmentId',
    {
      schema: {
        tags,
        summary: 'Download an attachment of the ticket an access key opens',
        params: AccessAttachmentParams,
        response: consoleResponses({ 200: AttachmentFile }, 404),
      },
    },
    async (request, reply) =>
      sendAttachment(
        reply,
        await support.attachment(await accessOf(request), request.params.attachmentId, { internal: false }),
      ),
  );

  app.get(
    '/api/tickets',
    {
      schema: {
        tags,
        summary: 'The account’s tickets, newest first',
        response: consoleResponses({ 200: CustomerTicketList }),
      },
    },
    async (request) => support.listForAccount(memberSessionOf(request).accountId),
  );

  app.post(
    '/api/tickets',
    {
      bodyLimit,
      schema: {
        tags,
        summary: 'Create a ticket as a member of the account (it joins the account’s tickets)',
        body: CreateTicket,
        response: consoleResponses({ 201: TicketCreated }),
      },
    },
    async (request, reply) => {
      const session = memberSessionOf(request);
      return reply.code(201).send(
        await support.create(memberActor(request), request.body, {
          accountId: session.accountId,
          userId: session.userId,
        }),
      );
    },
  );

  app.get(
    '/api/tickets/:ticketNumber',
    {
      schema: {
        tags,
        summary: 'A ticket of the account with its conversation',
        params: TicketParams,
        response: consoleResponses({ 200: CustomerTicket }, 404),
      },
    },
    async (request) => support.customerView(await accountTicket(request)),
  );

  app.post(
    '/api/tickets/:ticketNumber/replies',
    {
      bodyLimit,
      schema: {
        tags,
        summary: 'Reply on a ticket of the account',
        params: TicketParams,
        body: Reply,
        response: consoleResponses({ 200: CustomerTicket }, 404, 409),
      },
    },
    async (request) =>
      support.customerReply(memberActor(request), await accountTicket(request), request.body),
  );

  app.post(
    '/api/tickets/:ticketNumber/reopen',
    {
      schema: {
        tags,
        summary: 'Reopen a solved ticket of the account within the reopen window',
        params: TicketParams,
        response: consoleResponses({ 200: CustomerTicket }, 404, 409),
      },
    },
    async (request) => support.reopen(memberActor(request), await accountTicket(request)),
  );

  app.get(
    '/api/tickets/:ticketNumber/attachments/:attachmentId',
    {
      schema: {
        tags,
        summary: 'Download an attachment of a ticket of the account',
        params: AttachmentParams,
        response: consoleResponses({ 200: AttachmentFile }, 404),
      },
    },
    async (request, reply) =>
      sendAttachment(
        reply,
        await support.attachment(await accountTicket(request), request.params.attachmentId, {
          internal: false,
        }),
      ),
  );
}
