import { type Static, Type } from '@sinclair/typebox';
import { Timestamp, type Wire } from '../../http/console-schemas.js';

/**
 * Support tickets' request and response schemas. Imports only TypeBox: the web console imports the
 * types for its Support pages and the staff console's Tickets tab.
 */

export const ticketCategories = ['billing', 'technical', 'account', 'compliance', 'other'] as const;
export const ticketPriorities = ['low', 'normal', 'high', 'urgent'] as const;
export const ticketStatuses = [
  'open',
  'waiting_on_customer',
  'waiting_on_support',
  'solved',
  'closed',
] as const;

const literals = <T extends string>(values: readonly T[], description?: string) =>
  Type.Union(
    values.map((value) => Type.Literal(value)),
    description ? { description } : {},
  );

export const TicketCategory = literals(ticketCategories);
export const TicketPriority = literals(ticketPriorities);
export const TicketStatus = literals(ticketStatuses);

/** The most files one message carries. */
export const MAX_ATTACHMENTS = 3;

export const AttachmentUpload = Type.Object({
  fileName: Type.String({ minLength: 1, maxLength: 200 }),
  content: Type.String({
    maxLength: 7_000_000,
    description: 'the file, base64; its type is decided by its content (PDF, PNG, JPEG, GIF, WebP, text)',
  }),
});
export type AttachmentUpload = Static<typeof AttachmentUpload>;

const Attachments = Type.Optional(Type.Array(AttachmentUpload, { maxItems: MAX_ATTACHMENTS }));

export const CreateTicket = Type.Object({
  email: Type.String({ maxLength: 254, description: 'where answers go' }),
  subject: Type.String({ minLength: 1, maxLength: 200 }),
  description: Type.String({ minLength: 1, maxLength: 20_000 }),
  category: TicketCategory,
  priority: TicketPriority,
  attachments: Attachments,
});
export type CreateTicket = Static<typeof CreateTicket>;

export const TicketCreated = Type.Object({
  number: Type.String({ description: 'the ticket number, e.g. T-000123' }),
  status: TicketStatus,
});
export type TicketCreated = Wire<Static<typeof TicketCreated>>;

export const StatusLookup = Type.Object({
  number: Type.String({ maxLength: 40, description: 'the ticket number, e.g. T-000123' }),
  email: Type.String({ maxLength: 254 }),
});
export type StatusLookup = Static<typeof StatusLookup>;

export const NeutralAnswer = Type.Object({
  message: Type.String({ description: 'the same whether or not the ticket and email match' }),
});

export const OpenLink = Type.Object({ token: Type.String({ minLength: 1, maxLength: 200 }) });

export const Reply = Type.Object({
  body: Type.String({ minLength: 1, maxLength: 20_000 }),
  attachments: Attachments,
});
export type Reply = Static<typeof Reply>;

export const AttachmentView = Type.Object({
  id: Type.String(),
  fileName: Type.String(),
  contentType: Type.String(),
  size: Type.Integer({ description: 'bytes' }),
});

export const CustomerMessage = Type.Object({
  id: Type.String(),
  author: Type.Union([Type.Literal('customer'), Type.Literal('support')]),
  body: Type.String(),
  createdAt: Timestamp(),
  attachments: Type.Array(AttachmentView),
});

/** A ticket as its customer sees it: no internal notes, no assignee, no SLA. */
export const CustomerTicket = Type.Object({
  number: Type.String(),
  email: Type.String(),
  subject: Type.String(),
  category: TicketCategory,
  priority: TicketPriority,
  status: TicketStatus,
  createdAt: Timestamp(),
  updatedAt: Timestamp(),
  solvedAt: Type.Union([Timestamp(), Type.Null()]),
  reopenUntil: Type.Union([Timestamp(), Type.Null()], {
    description: 'a solved ticket may be reopened until then; null otherwise',
  }),
  messages: Type.Array(CustomerMessage),
});
export type CustomerTicket = Wire<Static<typeof CustomerTicket>>;

export const TicketAccess = Type.Object({
  accessKey: Type.String({ description: 'send as X-Ticket-Access on the /api/support/access/… routes' }),
  expiresAt: Timestamp(),
  ticket: CustomerTicket,
});
export type TicketAccess = Wire<Static<typeof TicketAccess>>;

export const CustomerTicketSummary = Type.Object({
  number: Type.String(),
  subject: Type.String(),
  category: TicketCategory,
  priority: TicketPriority,
  status: TicketStatus,
  createdAt: Timestamp(),
  updatedAt: Timestamp(),
});
export const CustomerTicketList = Type.Object({ tickets: Type.Array(CustomerTicketSummary) });
export type CustomerTicketList = Wire<Static<typeof CustomerTicketList>>;

export const TicketParams = Type.Object({ ticketNumber: Type.String({ maxLength: 40 }) });
export const AttachmentParams = Type.Object({
  ticketNumber: Type.String({ maxLength: 40 }),
  attachmentId: Type.String({ maxLength: 40 }),
});
export const AccessAttachmentParams = Type.Object({ attachmentId: Type.String({ maxLength: 40 }) });

export const AttachmentFile = Type.String({ description: 'the file as it was attached' });

// Staff.

const Agent = Type.Union([Type.Object({ id: Type.String(), name: Type.String() }), Type.Null()]);

export const StaffTicketSummary = Type.Object({
  number: Type.String(),
  subject: Type.String(),
  email: Type.String(),
  category: TicketCategory,
  priority: TicketPriority,
  status: TicketStatus,
  account: Type.Union([
    Type.Object({ id: Type.String(), authId: Type.String(), name: Type.String() }),
    Type.Null(),
  ]),
  assignee: Agent,
  slaDueAt: Type.Union([Timestamp(), Type.Null()], { description: 'when support owes the next answer' }),
  overdue: Type.Boolean(),
  createdAt: Timestamp(),
  updatedAt: Timestamp(),
});
export type StaffTicketSummary = Wire<Static<typeof StaffTicketSummary>>;

export const StaffTicketQueue = Type.Object({ tickets: Type.Array(StaffTicketSummary) });
export type StaffTicketQueue = Wire<Static<typeof StaffTicketQueue>>;

export const StaffTicketFilters = Type.Object({
  status: Type.Optional(TicketStatus),
  priority: Type.Optional(TicketPriority),
  category: Type.Optional(TicketCategory),
  account: Type.Optional(Type.String({ maxLength: 60, description: 'an account id or its Auth ID' })),
  assignee: Type.Optional(Type.String({ maxLength: 40, description: 'a staff id, or "none"' })),
  overdue: Type.Optional(Type.Boolean()),
});
export type StaffTicketFilters = Static<typeof StaffTicketFilters>;

export const StaffMessage = Type.Object({
  id: Type.String(),
  author: Type.Union([Type.Literal('customer'), Type.Literal('staff')]),
  authorName: Type.String(),
  internal: Type.Boolean({ description: 'an internal note: never shown to the customer' }),
  body: Type.String(),
  createdAt: Timestamp(),
  attachments: Type.Array(AttachmentView),
});

export const StaffTicket = Type.Object({
  ...StaffTicketSummary.properties,
  solvedAt: Type.Union([Timestamp(), Type.Null()]),
  messages: Type.Array(StaffMessage),
});
export type StaffTicket = Wire<Static<typeof StaffTicket>>;

export const StaffReply = Type.Object({
  body: Type.String({ minLength: 1, maxLength: 20_000 }),
  internal: Type.Optional(Type.Boolean({ description: 'an internal note, never shown to the customer' })),
  status: Type.Optional(TicketStatus),
  attachments: Attachments,
});
export type StaffReply = Static<typeof StaffReply>;

export const AssignTicket = Type.Object({
  // Null first: a string branch first would take null coerced to "".
  assigneeId: Type.Union([Type.Null(), Type.String({ maxLength: 40 })], {
    description: 'a staff id; null to unassign',
  }),
});

export const SetTicketStatus = Type.Object({ status: TicketStatus });

export const AgentList = Type.Object({
  agents: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })),
});
export type AgentList = Static<typeof AgentList>;
