import type { Static } from '@sinclair/typebox';
import type { Config } from '../../config.js';
import { type Db, inTransaction } from '../../db/database.js';
import type { TicketPriority, TicketStatus } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import { constantTimeEqual, randomToken, type SecretBox } from '../../lib/secrets.js';
import type { Throttle, ThrottleRule } from '../../lib/throttle.js';
import { messages } from '../../notify/messages.js';
import type { Outbox } from '../../notify/outbox.js';
import type { Actor, AuditLog } from '../audit/audit.js';
import { judgeAttachment } from './attachment-types.js';
import { SupportErrors } from './errors.js';
import type {
  AttachmentUpload,
  CreateTicket,
  CustomerTicketList as CustomerTicketListSchema,
  CustomerTicket as CustomerTicketSchema,
  Reply,
  StaffReply,
  StaffTicketQueue as StaffTicketQueueSchema,
  StaffTicket as StaffTicketSchema,
} from './schemas.js';

type CustomerTicket = Static<typeof CustomerTicketSchema>;
type CustomerTicketList = Static<typeof CustomerTicketListSchema>;
type StaffTicket = Static<typeof StaffTicketSchema>;
type StaffTicketQueue = Static<typeof StaffTicketQueueSchema>;

import { type QueueFilters, SupportStore } from './store.js';

export interface SupportDeps {
  db: Db;
  clock: Clock;
  secrets: SecretBox;
  outbox: Outbox;
  audit: AuditLog;
  throttle: Throttle;
  config: Pick<
    Config,
    'publicUrl' | 'supportSlaHours' | 'supportReopenDays' | 'supportAttachmentMaxBytes' | 'supportTeamEmail'
  >;
}

/** A status link works once, for an hour; the access it grants lasts an hour too. */
const LINK_MINUTES = 60;
const ACCESS_MINUTES = 60;

/** Attempt budgets of the public support routes (per network unless named otherwise). */
export const supportThrottles = {
  createPerIp: {
    name: 'support-create-ip',
    points: 10,
    durationSeconds: 3600,
    message: 'Too many tickets from your network. Try again in an hour.',
  },
  lookupPerIp: {
    name: 'support-lookup-ip',
    points: 10,
    durationSeconds: 15 * 60,
    message: 'Too many ticket status checks from your network. Try again in 15 minutes.',
  },
  /** Counted per ticket number and email asked about, matching or not, so the budget tells nothing about a match. */
  lookupPerTicket: {
    name: 'support-lookup-ticket',
    points: 3,
    durationSeconds: 3600,
    message:
      'Several links for this ticket were already asked for in the last hour. Check your inbox, or try again later.',
  },
  linkPerIp: {
    name: 'support-link-ip',
    points: 20,
    durationSeconds: 15 * 60,
    message: 'Too many attempts from your network. Try again in 15 minutes.',
  },
} satisfies Record<string, ThrottleRule>;

/** What "Check Ticket Status" answers, whether or not the number and email match. */
export const NEUTRAL_STATUS_ANSWER =
  'If the ticket number and email match a ticket, we have emailed a link to it to that address. The link works once and expires in 1 hour.';

/** T-000123: the ticket number people read and type. */
export const ticketNumberText = (number: bigint) => `T-${String(number).padStart(6, '0')}`;

/** Reads "T-000123", "t-123" or "123"; null for anything else. */
export function parseTicketNumber(text: string): bigint | null {
  const match = /^\s*(?:T-?)?0*(\d{1,15})\s*$/i.exec(text);
  return match?.[1] ? BigInt(match[1]) : null;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** Ids are UUIDs; anything else names nothing (and never reaches a uuid column). */
const isUuid = (value: string) =>
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
const normalEmail = (email: string) => email.trim().toLowerCase();

type TicketRow = NonNullable<Awaited<ReturnType<SupportStore['ticketByNumber']>>>;

interface DecodedAttachment {
  fileName: string;
  contentType: string;
  bytes: Buffer;
}

/** A customer acting on a ticket: a member of its account, or someone holding its emailed link. */
export type CustomerActor = Actor & { userId?: string | null };

/**
 * Support tickets: created by anyone from /support, followed by the customer (a member of the
 * account, or whoever holds the link emailed to the ticket's address) and answered by staff.
 */
export class SupportService {
  readonly store: SupportStore;

  constructor(private readonly deps: SupportDeps) {
    this.store = new SupportStore(deps.db);
  }

  private get now() {
    return this.deps.clock.now();
  }

  private slaDue(priority: TicketPriority, from: Date) {
    return new Date(from.getTime() + this.deps.config.supportSlaHours[priority] * 3_600_000);
  }

  private reopenUntil(solvedAt: Date) {
    return new Date(solvedAt.getTime() + this.deps.config.supportReopenDays * 86_400_000);
  }

  private link(path: string) {
    return `${this.deps.config.publicUrl}${path}`;
  }

  /** The type of each file is what its content shows; a name that lies, a kind not on the list or a file too large is refused. */
  private decode(attachments: readonly AttachmentUpload[] | undefined): DecodedAttachment[] {
    return (attachments ?? []).map(({ fileName, content }) => {
      const name = fileName.replace(/[/\\]/g, '_').trim();
      const compact = content.replace(/\s+/g, '');
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 === 1)
        throw SupportErrors.attachmentNotBase64(name);
      const bytes = Buffer.from(compact, 'base64');
      if (bytes.length > this.deps.config.supportAttachmentMaxBytes)
        throw SupportErrors.attachmentTooLarge(name, this.deps.config.supportAttachmentMaxBytes);
      const verdict = judgeAttachment(name, bytes);
      if (!verdict.accepted)
        throw SupportErrors.attachmentType(
          verdict.reason === 'extension_mismatch'
            ? 'attachment_type_mismatch'
            : 'attachment_type_not_allowed',
          verdict.detail,
        );
      return { fileName: name, contentType: verdict.kind.contentType, bytes };
    });
  }

  private async writeMessage(
    ticketId: string,
    message: {
      author: 'customer' | 'staff';
      userId?: string | null;
      staffId?: string | null;
      internal?: boolean;
      body: string;
    },
    files: DecodedAttachment[],
  ) {
    const id = newId();
    const now = this.now;
    await this.store.insertMessage({
      id,
      ticket_id: ticketId,
      author: message.author,
      user_id: message.userId ?? null,
      staff_id: message.staffId ?? null,
      internal: message.internal ?? false,
      body: message.body,
      created_at: now,
    });
    await this.store.insertAttachments(
      files.map((file) => ({
        id: newId(),
        message_id: id,
        file_name: file.fileName,
        content_type: file.contentType,
        size_bytes: file.bytes.length,
        content_encrypted: this.deps.secrets.encrypt(file.bytes.toString('base64')),
        created_at: now,
      })),
    );
  }

  /** "How do I create a support ticket?": email, subject, description, category, priority and files; answers the ticket number. */
  async create(
    actor: CustomerActor,
    input: CreateTicket,
    member?: { accountId: string; userId: string },
  ): Promise<{ number: string; status: TicketStatus }> {
    const email = normalEmail(input.email);
    if (!EMAIL.test(email)) throw SupportErrors.invalidEmail();
    const subject = input.subject.trim();
    const description = input.description.trim();
    if (!subject) throw SupportErrors.emptyText('subject');
    if (!description) throw SupportErrors.emptyText('description');
    const files = this.decode(input.attachments);
    if (!member) await this.deps.throttle.consume(supportThrottles.createPerIp, actor.ip);
    return inTransaction(this.deps.db, async () => {
      const now = this.now;
      const id = newId();
      const { number } = await this.store.insertTicket({
        id,
        email,
        account_id: member?.accountId ?? null,
        user_id: member?.userId ?? null,
        subject,
        category: input.category,
        priority: input.priority,
        status: 'open',
        assignee_id: null,
        sla_due_at: this.slaDue(input.priority, now),
        solved_at: null,
        created_at: now,
        updated_at: now,
      });
      await this.writeMessage(
        id,
        { author: 'customer', userId: member?.userId ?? null, body: description },
        files,
      );
      const text = ticketNumberText(number);
      await this.deps.audit.record(actor, {
        action: 'support.ticket_created',
        accountId: member?.accountId ?? null,
        details: {
          ticket: text,
          category: input.category,
          priority: input.priority,
          attachments: files.length,
        },
      });
      await this.deps.outbox.enqueue({
        channel: 'email',
        to: email,
        ...messages.supportTicketCreated(text, subject, this.link('/support')),
      });
      return { number: text, status: 'open' as const };
    });
  }

  /**
   * "Check Ticket Status" without signing in: the same answer whether or not the number and email
   * match; only the ticket's own address receives a one-time link. Throttled per network and per ticket.
   */
  async requestStatusLink(actor: Actor, input: { number: string; email: string }): Promise<string> {
    await this.deps.throttle.consume(supportThrottles.lookupPerIp, actor.ip);
    const number = parseTicketNumber(input.number);
    if (number === null) return NEUTRAL_STATUS_ANSWER;
    const email = normalEmail(input.email);
    // Keyed by the pair asked about, matching or not: the budget runs out alike either way.
    await this.deps.throttle.consume(
      supportThrottles.lookupPerTicket,
      `${number}:${this.deps.secrets.digest(email)}`,
    );
    const ticket = await this.store.ticketByNumber(number);
    const matches = ticket !== undefined && constantTimeEqual(email, ticket.email);
    if (!ticket || !matches) return NEUTRAL_STATUS_ANSWER;
    const token = randomToken();
    await inTransaction(this.deps.db, async () => {
      const now = this.now;
      await this.store.insertAccessLink({
        id: newId(),
        ticket_id: ticket.id,
        token_digest: this.deps.secrets.digest(token),
        expires_at: new Date(now.getTime() + LINK_MINUTES * 60_000),
        created_at: now,
      });
      await this.deps.outbox.enqueue({
        channel: 'email',
        to: ticket.email,
        ...messages.supportStatusLink(ticketNumberText(number), this.link(`/support/ticket?token=${token}`)),
      });
    });
    return NEUTRAL_STATUS_ANSWER;
  }

  /** Opens an emailed link once: answers an access key for the ticket (an hour) and the ticket. */
  async openLink(actor: Actor, token: string) {
    await this.deps.throttle.consume(supportThrottles.linkPerIp, actor.ip);
    const accessKey = randomToken();
    const now = this.now;
    const expiresAt = new Date(now.getTime() + ACCESS_MINUTES * 60_000);
    const used = await this.store.consumeAccessLink(this.deps.secrets.digest(token), now, {
      digest: this.deps.secrets.digest(accessKey),
      expiresAt,
    });
    if (!used) throw SupportErrors.accessExpired();
    return { accessKey, expiresAt, ticket: await this.customerView(used.ticket_id) };
  }

  /** The ticket an access key (from an opened link) stands for; refused when unknown or expired. */
  async ticketOfAccess(accessKey: string | undefined): Promise<string> {
    const ticketId = accessKey
      ? await this.store.ticketIdByAccess(this.deps.secrets.digest(accessKey), this.now)
      : undefined;
    if (!ticketId) throw SupportErrors.accessExpired();
    return ticketId;
  }

  /** A ticket of the member's account by its number; another account's answers 404 as if none existed. */
  async ticketOfAccount(accountId: string, numberText: string): Promise<string> {
    const number = parseTicketNumber(numberText);
    const ticket = number === null ? undefined : await this.store.ticketByNumber(number);
    if (!ticket || ticket.account_id !== accountId) throw SupportErrors.ticketNotFound();
    return ticket.id;
  }

  /** Signed in: the account's tickets, newest first. */
  async listForAccount(accountId: string): Promise<CustomerTicketList> {
    const rows = await this.store.ticketsOfAccount(accountId);
    return {
      tickets: rows.map((row) => ({
        number: ticketNumberText(row.number),
        subject: row.subject,
        category: row.category,
        priority: row.priority,
        status: row.status,
        createdAt: row.created_at,
        updatedAt: row.updated_at,
      })),
    };
  }

  private async conversation(ticketId: string, internal: boolean) {
    const rows = await this.store.messagesOf(ticketId, { internal });
    const files = await this.store.attachmentsOf(rows.map((row) => row.id));
    return rows.map((row) => ({
      row,
      attachments: files
        .filter((file) => file.message_id === row.id)
        .map((file) => ({
          id: file.id,
          fileName: file.file_name,
          contentType: file.content_type,
          size: file.size_bytes,
        })),
    }));
  }

  /** The ticket as its customer sees it: internal notes are never part of it. */
  async customerView(ticketId: string): Promise<CustomerTicket> {
    const ticket = await this.store.ticketById(ticketId);
    const conversation = await this.conversation(ticketId, false);
    return {
      number: ticketNumberText(ticket.number),
      email: ticket.email,
      subject: ticket.subject,
      category: ticket.category,
      priority: ticket.priority,
      status: ticket.status,
      createdAt: ticket.created_at,
      updatedAt: ticket.updated_at,
      solvedAt: ticket.solved_at ?? null,
      reopenUntil: ticket.status === 'solved' && ticket.solved_at ? this.reopenUntil(ticket.solved_at) : null,
      messages: conversation.map(({ row, attachments }) => ({
        id: row.id,
        author: row.author === 'staff' ? ('support' as const) : ('customer' as const),
        body: row.body,
        createdAt: row.created_at,
        attachments,
      })),
    };
  }

  /** An attachment's bytes; customers never reach one of an internal note. */
  async attachment(ticketId: string, attachmentId: string, options: { internal: boolean }) {
    if (!isUuid(attachmentId)) throw SupportErrors.attachmentNotFound();
    const row = await this.store.attachment(ticketId, attachmentId, options);
    if (!row) throw SupportErrors.attachmentNotFound();
    return {
      fileName: row.file_name,
      contentType: row.content_type,
      bytes: Buffer.from(this.deps.secrets.decrypt(row.content_encrypted), 'base64'),
    };
  }

  /** The columns a move to `status` sets: the SLA clock runs while the ticket waits on support. */
  private statusChange(ticket: TicketRow, status: TicketStatus, now: Date) {
    const waitsOnSupport = status === 'open' || status === 'waiting_on_support';
    return {
      status,
      sla_due_at: waitsOnSupport ? (ticket.sla_due_at ?? this.slaDue(ticket.priority, now)) : null,
      solved_at: status === 'solved' ? now : status === 'closed' ? ticket.solved_at : null,
      updated_at: now,
    };
  }

  private async lockedTicket(ticketId: string): Promise<TicketRow> {
    const { number } = await this.store.ticketById(ticketId);
    const ticket = await this.store.ticketByNumber(number, { lock: true });
    if (!ticket) throw SupportErrors.ticketNotFound();
    return ticket;
  }

  /** Who hears of a customer's reply: the agent assigned, else the operator's support address. */
  private async notifyStaff(ticket: TicketRow) {
    const agent = ticket.assignee_id ? await this.store.staffMember(ticket.assignee_id) : undefined;
    const to = agent?.email ?? this.deps.config.supportTeamEmail;
    if (!to) return;
    const number = ticketNumberText(ticket.number);
    await this.deps.outbox.enqueue({
      channel: 'email',
      to,
      ...messages.supportCustomerReplied(number, ticket.subject, this.link(`/staff?ticket=${number}`)),
    });
  }

  /** The customer writes again: the ticket waits on support (a solved ticket must be reopened first, a closed one cannot). */
  async customerReply(actor: CustomerActor, ticketId: string, input: Reply): Promise<CustomerTicket> {
    const body = input.body.trim();
    if (!body) throw SupportErrors.emptyText('body');
    const files = this.decode(input.attachments);
    await inTransaction(this.deps.db, async () => {
      const ticket = await this.lockedTicket(ticketId);
      if (ticket.status === 'closed') throw SupportErrors.ticketClosed();
      if (ticket.status === 'solved') throw SupportErrors.ticketSolved();
      const now = this.now;
      await this.writeMessage(ticketId, { author: 'customer', userId: actor.userId ?? null, body }, files);
      await this.store.updateTicket(ticketId, this.statusChange(ticket, 'waiting_on_support', now));
      await this.deps.audit.record(actor, {
        action: 'support.customer_replied',
        accountId: ticket.account_id,
        details: { ticket: ticketNumberText(ticket.number), attachments: files.length },
      });
      await this.notifyStaff(ticket);
    });
    return this.customerView(ticketId);
  }

  /** A solved ticket may be reopened by its customer within SUPPORT_REOPEN_DAYS of being solved. */
  async reopen(actor: CustomerActor, ticketId: string): Promise<CustomerTicket> {
    await inTransaction(this.deps.db, async () => {
      const ticket = await this.lockedTicket(ticketId);
      if (ticket.status === 'closed') throw SupportErrors.ticketClosed();
      if (ticket.status !== 'solved' || !ticket.solved_at) throw SupportErrors.notSolved();
      const now = this.now;
      if (now > this.reopenUntil(ticket.solved_at))
        throw SupportErrors.reopenWindowPassed(this.deps.config.supportReopenDays);
      await this.store.updateTicket(ticketId, this.statusChange(ticket, 'waiting_on_support', now));
      await this.deps.audit.record(actor, {
        action: 'support.ticket_reopened',
        accountId: ticket.account_id,
        details: { ticket: ticketNumberText(ticket.number) },
      });
      await this.notifyStaff(ticket);
    });
    return this.customerView(ticketId);
  }

  // Staff.

  private async staffTicketRow(numberText: string): Promise<TicketRow> {
    const number = parseTicketNumber(numberText);
    const ticket = number === null ? undefined : await this.store.ticketByNumber(number);
    if (!ticket) throw SupportErrors.ticketNotFound();
    return ticket;
  }

  /** The staff queue, filtered; each ticket with its SLA due time and whether it is overdue. */
  async queue(
    filters: Omit<QueueFilters, 'accountId' | 'overdueAt'> & { account?: string; overdue?: boolean },
  ): Promise<StaffTicketQueue> {
    const now = this.now;
    let accountId: string | undefined;
    if (filters.account) {
      accountId = isUuid(filters.account)
        ? filters.account
        : await this.store.accountIdByAuthId(filters.account);
      if (!accountId) return { tickets: [] };
    }
    if (filters.assigneeId && !isUuid(filters.assigneeId)) return { tickets: [] };
    const rows = await this.store.queue({
      ...(filters.status ? { status: filters.status } : {}),
      ...(filters.priority ? { priority: filters.priority } : {}),
      ...(filters.category ? { category: filters.category } : {}),
      ...(accountId ? { accountId } : {}),
      ...(filters.assigneeId !== undefined ? { assigneeId: filters.assigneeId } : {}),
      ...(filters.overdue ? { overdueAt: now } : {}),
    });
    return {
      tickets: rows.map((row) => ({
        ...this.staffSummary(row, now),
        account:
          row.account_id && row.account_auth_id
            ? { id: row.account_id, authId: row.account_auth_id, name: row.account_name ?? '' }
            : null,
        assignee: row.assignee_id ? { id: row.assignee_id, name: row.assignee_name ?? '' } : null,
      })),
    };
  }

  /** An account's latest tickets as staff see them (the staff console's account page), newest first. */
  async staffTicketsOfAccount(accountId: string, limit: number) {
    const now = this.now;
    const rows = await this.store.ticketsOfAccount(accountId, limit);
    return rows.map((row) => this.staffSummary(row, now));
  }

  private staffSummary(row: TicketRow, now: Date) {
    return {
      number: ticketNumberText(row.number),
      subject: row.subject,
      email: row.email,
      category: row.category,
      priority: row.priority,
      status: row.status,
      slaDueAt: row.sla_due_at ?? null,
      overdue: row.sla_due_at !== null && row.sla_due_at < now,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  /** A ticket as staff see it: the whole conversation, internal notes included. */
  async staffView(numberText: string): Promise<StaffTicket> {
    const ticket = await this.staffTicketRow(numberText);
    const account = ticket.account_id ? await this.store.accountSummary(ticket.account_id) : undefined;
    const agent = ticket.assignee_id ? await this.store.staffMember(ticket.assignee_id) : undefined;
    const conversation = await this.conversation(ticket.id, true);
    return {
      ...this.staffSummary(ticket, this.now),
      account: account ? { id: account.id, authId: account.auth_id, name: account.name } : null,
      assignee: agent ? { id: agent.id, name: agent.name } : null,
      solvedAt: ticket.solved_at ?? null,
      messages: conversation.map(({ row, attachments }) => ({
        id: row.id,
        author: row.author,
        authorName: (row.author === 'staff' ? row.staff_name : row.user_name) ?? ticket.email,
        internal: row.internal,
        body: row.body,
        createdAt: row.created_at,
        attachments,
      })),
    };
  }

  async staffTicketId(numberText: string) {
    return (await this.staffTicketRow(numberText)).id;
  }

  /** Staff answer (the customer is emailed; the ticket then waits on the customer unless another status is given) or note internally (nobody is emailed). */
  async staffReply(
    actor: Actor & { staffId: string },
    numberText: string,
    input: StaffReply,
  ): Promise<StaffTicket> {
    const body = input.body.trim();
    if (!body) throw SupportErrors.emptyText('body');
    const files = this.decode(input.attachments);
    const internal = input.internal ?? false;
    await inTransaction(this.deps.db, async () => {
      const ticket = await this.lockedTicket((await this.staffTicketRow(numberText)).id);
      if (ticket.status === 'closed' && !internal) throw SupportErrors.ticketClosed();
      const now = this.now;
      await this.writeMessage(ticket.id, { author: 'staff', staffId: actor.staffId, internal, body }, files);
      const status = input.status ?? (internal ? ticket.status : 'waiting_on_customer');
      await this.store.updateTicket(ticket.id, this.statusChange(ticket, status, now));
      await this.deps.audit.record(actor, {
        action: internal ? 'support.internal_note_added' : 'support.staff_replied',
        accountId: ticket.account_id,
        details: { ticket: ticketNumberText(ticket.number), status, attachments: files.length },
      });
      if (!internal) await this.notifyCustomer(ticket, status);
    });
    return this.staffView(numberText);
  }

  private async notifyCustomer(ticket: TicketRow, status: TicketStatus) {
    const number = ticketNumberText(ticket.number);
    const link = this.link('/support');
    await this.deps.outbox.enqueue({
      channel: 'email',
      to: ticket.email,
      ...(status === 'solved'
        ? messages.supportSolved(number, ticket.subject, this.deps.config.supportReopenDays, link)
        : messages.supportAnswered(number, ticket.subject, link)),
    });
  }

  /** Staff set a ticket's status; solving it emails the customer (who may reopen it within the window). */
  async setStatus(
    actor: Actor & { staffId: string },
    numberText: string,
    status: TicketStatus,
  ): Promise<StaffTicket> {
    await inTransaction(this.deps.db, async () => {
      const ticket = await this.lockedTicket((await this.staffTicketRow(numberText)).id);
      if (ticket.status === status) return;
      await this.store.updateTicket(ticket.id, this.statusChange(ticket, status, this.now));
      await this.deps.audit.record(actor, {
        action: 'support.status_changed',
        accountId: ticket.account_id,
        details: { ticket: ticketNumberText(ticket.number), from: ticket.status, to: status },
      });
      if (status === 'solved') await this.notifyCustomer(ticket, status);
    });
    return this.staffView(numberText);
  }

  /** Assigns a ticket to an agent (who is emailed), or unassigns it. */
  async assign(
    actor: Actor & { staffId: string },
    numberText: string,
    assigneeId: string | null,
  ): Promise<StaffTicket> {
    await inTransaction(this.deps.db, async () => {
      const ticket = await this.lockedTicket((await this.staffTicketRow(numberText)).id);
      const agent =
        assigneeId === null
          ? null
          : isUuid(assigneeId)
            ? await this.store.staffMember(assigneeId)
            : undefined;
      if (agent === undefined) throw SupportErrors.agentNotFound();
      await this.store.updateTicket(ticket.id, { assignee_id: agent?.id ?? null, updated_at: this.now });
      const number = ticketNumberText(ticket.number);
      await this.deps.audit.record(actor, {
        action: 'support.ticket_assigned',
        accountId: ticket.account_id,
        details: { ticket: number, assignee: agent?.id ?? null },
      });
      if (agent && agent.id !== actor.staffId)
        await this.deps.outbox.enqueue({
          channel: 'email',
          to: agent.email,
          ...messages.supportTicketAssigned(
            agent.name,
            number,
            ticket.subject,
            this.link(`/staff?ticket=${number}`),
          ),
        });
    });
    return this.staffView(numberText);
  }

  /** Staff who can be assigned tickets. */
  async agents() {
    return { agents: (await this.store.activeStaff()).map(({ id, name }) => ({ id, name })) };
  }
}
