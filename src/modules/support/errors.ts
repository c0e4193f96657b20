import { Conflict, NotFound, ValidationFailed } from '../../lib/errors.js';

/** The refusals of support tickets, one catalog (codes are stable for clients). */
export const SupportErrors = {
  ticketNotFound: () => NotFound('ticket_not_found', 'There is no such ticket.'),
  attachmentNotFound: () => NotFound('attachment_not_found', 'There is no such attachment on this ticket.'),
  agentNotFound: () => NotFound('agent_not_found', 'There is no active staff member with that id.'),
  invalidEmail: () =>
    ValidationFailed('invalid_email', 'Give the email address we should answer.', [
      { field: 'email', message: 'not an email address' },
    ]),
  emptyText: (field: string) =>
    ValidationFailed('invalid_text', `Write something in ${field}.`, [
      { field, message: 'must not be empty' },
    ]),
  attachmentType: (code: string, detail: string) =>
    ValidationFailed(code, detail, [{ field: 'attachments', message: detail }]),
  attachmentTooLarge: (fileName: string, maxBytes: number) =>
    ValidationFailed(
      'attachment_too_large',
      `${fileName} is larger than ${Math.floor(maxBytes / 1024)} KB, the most an attachment may be.`,
      [{ field: 'attachments', message: 'too large' }],
    ),
  attachmentNotBase64: (fileName: string) =>
    ValidationFailed('attachment_unreadable', `${fileName}: the content must be base64.`, [
      { field: 'attachments', message: 'not base64' },
    ]),
  ticketClosed: () =>
    Conflict('ticket_closed', 'This ticket is closed. Create a new ticket if you still need help.'),
  ticketSolved: () => Conflict('ticket_solved', 'This ticket is solved. Reopen it to write again.'),
  notSolved: () => Conflict('ticket_not_solved', 'Only a solved ticket can be reopened.'),
  reopenWindowPassed: (days: number) =>
    Conflict(
      'reopen_window_passed',
      `A ticket can be reopened within ${days} days of being solved. Create a new ticket instead.`,
    ),
  accessExpired: () =>
    NotFound(
      'ticket_link_invalid',
      'This link has expired or was already used. Ask for a new one at Check Ticket Status.',
    ),
} as const;
