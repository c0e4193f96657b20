import type { Insertable, Updateable } from 'kysely';
import { type Db, executor } from '../../db/database.js';
import type {
  SupportAttachmentsTable,
  SupportMessagesTable,
  SupportTicketsTable,
  TicketCategory,
  TicketPriority,
  TicketStatus,
} from '../../db/schema.js';

export interface QueueFilters {
  status?: TicketStatus;
  priority?: TicketPriority;
  category?: TicketCategory;
  accountId?: string;
  /** A staff id, or null for unassigned tickets. */
  assigneeId?: string | null;
  /** Only tickets past their SLA at `now`. */
  overdueAt?: Date;
}

const ticketColumns = [
  'support_tickets.id',
  'support_tickets.number',
  'support_tickets.email',
  'support_tickets.account_id',
  'support_tickets.user_id',
  'support_tickets.subject',
  'support_tickets.category',
  'support_tickets.priority',
  'support_tickets.status',
  'support_tickets.assignee_id',
  'support_tickets.sla_due_at',
  'support_tickets.solved_at',
  'support_tickets.created_at',
  'support_tickets.updated_at',
] as const;

/** SQL for support tickets, their messages, attachments and status links; nothing else touches these tables. */
export class SupportStore {
  constructor(private readonly db: Db) {}

  private get q() {
    return executor(this.db);
  }

  async insertTicket(ticket: Omit<Insertable<SupportTicketsTable>, 'number'>) {
    return this.q.insertInto('support_tickets').values(ticket).returning('number').executeTakeFirstOrThrow();
  }

  async insertMessage(message: Insertable<SupportMessagesTable>) {
    await this.q.insertInto('support_messages').values(message).execute();
  }

  async insertAttachments(attachments: Insertable<SupportAttachmentsTable>[]) {
    if (attachments.length) await this.q.insertInto('support_attachments').values(attachments).execute();
  }

  async updateTicket(id: string, changes: Updateable<SupportTicketsTable>) {
    await this.q.updateTable('support_tickets').set(changes).where('id', '=', id).execute();
  }

  /** The ticket with its account and assignee, locked for update when asked (inside a transaction). */
  async ticketByNumber(number: bigint, options: { lock?: boolean } = {}) {
    let query = this.q.selectFrom('support_tickets').select(ticketColumns).where('number', '=', number);
    if (options.lock) query = query.forUpdate();
    return query.executeTakeFirst();
  }

  async ticketById(id: string) {
    return this.q
      .selectFrom('support_tickets')
      .select(ticketColumns)
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  }

  /** The conversation, oldest first; internal notes only when asked for (staff). */
  async messagesOf(ticketId: string, options: { internal: boolean }) {
    let query = this.q
      .selectFrom('support_messages')
      .leftJoin('users', 'users.id', 'support_messages.user_id')
      .leftJoin('staff_members', 'staff_members.id', 'support_messages.staff_id')
      .select([
        'support_messages.id',
        'support_messages.author',
        'support_messages.internal',
        'support_messages.body',
        'support_messages.created_at',
        'users.name as user_name',
        'staff_members.name as staff_name',
      ])
      .where('support_messages.ticket_id', '=', ticketId)
      .orderBy('support_messages.created_at')
      .orderBy('support_messages.id');
    if (!options.internal) query = query.where('support_messages.internal', '=', false);
    return query.execute();
  }

  async attachmentsOf(messageIds: string[]) {
    if (messageIds.length === 0) return [];
    return this.q
      .selectFrom('support_attachments')
      .select(['id', 'message_id', 'file_name', 'content_type', 'size_bytes'])
      .where('message_id', 'in', messageIds)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  }

  /** An attachment of the ticket, with its encrypted bytes; one of an internal note only when asked for. */
  async attachment(ticketId: string, attachmentId: string, options: { internal: boolean }) {
    let query = this.q
      .selectFrom('support_attachments')
      .innerJoin('support_messages', 'support_messages.id', 'support_attachments.message_id')
      .select([
        'support_attachments.file_name',
        'support_attachments.content_type',
        'support_attachments.content_encrypted',
      ])
      .where('support_messages.ticket_id', '=', ticketId)
      .where('support_attachments.id', '=', attachmentId);
    if (!options.internal) query = query.where('support_messages.internal', '=', false);
    return query.executeTakeFirst();
  }

  async ticketsOfAccount(accountId: string, limit = 500) {
    return this.q
      .selectFrom('support_tickets')
      .select(ticketColumns)
      .where('account_id', '=', accountId)
      .orderBy('created_at', 'desc')
      .limit(limit)
      .execute();
  }

  /** The staff queue: most urgent SLA first, then oldest. */
  async queue(filters: QueueFilters) {
    let query = this.q
      .selectFrom('support_tickets')
      .leftJoin('accounts', 'accounts.id', 'support_tickets.account_id')
      .leftJoin('staff_members', 'staff_members.id', 'support_tickets.assignee_id')
      .select([
        ...ticketColumns,
        'accounts.auth_id as account_auth_id',
        'accounts.name as account_name',
        'staff_members.name as assignee_name',
      ]);
    if (filters.status) query = query.where('support_tickets.status', '=', filters.status);
    if (filters.priority) query = query.where('support_tickets.priority', '=', filters.priority);
    if (filters.category) query = query.where('support_tickets.category', '=', filters.category);
    if (filters.accountId) query = query.where('support_tickets.account_id', '=', filters.accountId);
    if (filters.assigneeId === null) query = query.where('support_tickets.assignee_id', 'is', null);
    else if (filters.assigneeId) query = query.where('support_tickets.assignee_id', '=', filters.assigneeId);
    if (filters.overdueAt) query = query.where('support_tickets.sla_due_at', '<', filters.overdueAt);
    return query
      .orderBy((eb) => eb.fn.coalesce('support_tickets.sla_due_at', eb.val(new Date('9999-12-31T00:00:00Z'))))
      .orderBy('support_tickets.created_at')
      .limit(500)
      .execute();
  }

  async accountSummary(accountId: string) {
    return this.q
      .selectFrom('accounts')
      .select(['id', 'auth_id', 'name'])
      .where('id', '=', accountId)
      .executeTakeFirst();
  }

  async accountIdByAuthId(authId: string) {
    const row = await this.q
      .selectFrom('accounts')
      .select('id')
      .where('auth_id', '=', authId)
      .executeTakeFirst();
    return row?.id;
  }

  async activeStaff() {
    return this.q
      .selectFrom('staff_members')
      .select(['id', 'name', 'email'])
      .where('disabled_at', 'is', null)
      .orderBy('name')
      .execute();
  }

  async staffMember(id: string) {
    return this.q
      .selectFrom('staff_members')
      .select(['id', 'name', 'email'])
      .where('id', '=', id)
      .where('disabled_at', 'is', null)
      .executeTakeFirst();
  }

  async insertAccessLink(link: {
    id: string;
    ticket_id: string;
    token_digest: string;
    expires_at: Date;
    created_at: Date;
  }) {
    await this.q.insertInto('support_access_links').values(link).execute();
  }

  /** Uses a link once: marks it used and grants access; undefined when unknown, used or expired. */
  async consumeAccessLink(tokenDigest: string, now: Date, access: { digest: string; expiresAt: Date }) {
    return this.q
      .updateTable('support_access_links')
      .set({ used_at: now, access_digest: access.digest, access_expires_at: access.expiresAt })
      .where('token_digest', '=', tokenDigest)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .returning('ticket_id')
      .executeTakeFirst();
  }

  async ticketIdByAccess(accessDigest: string, now: Date) {
    const row = await this.q
      .selectFrom('support_access_links')
      .select('ticket_id')
      .where('access_digest', '=', accessDigest)
      .where('access_expires_at', '>', now)
      .executeTakeFirst();
    return row?.ticket_id;
  }
}
