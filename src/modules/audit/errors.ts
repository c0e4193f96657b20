import { Conflict, NotFound, ValidationFailed } from '../../lib/errors.js';

/** The refusals of the audit log, its export, its API and its webhook. */
export const AuditErrors = {
  invalidTime: (field: string, text: string) =>
    ValidationFailed(
      'invalid_audit_time',
      `${field} "${text}" is not a time such as 2026-11-25 or 2026-11-25T10:00:00Z.`,
      [{ field, message: 'a time such as 2026-11-25T10:00:00Z' }],
    ),
  unknownResource: (resource: string, known: readonly string[]) =>
    ValidationFailed('unknown_audit_resource', `resource "${resource}" is none of ${known.join(', ')}.`, [
      { field: 'resource', message: `one of ${known.join(', ')}` },
    ]),
  unknownSubaccount: (authId: string) =>
    ValidationFailed(
      'unknown_subaccount',
      `subaccount ${authId} is not a subaccount of this account (nor its own Auth ID).`,
      [{ field: 'subaccount', message: 'a subaccount Auth ID of this account' }],
    ),
  invalidWebhookUrl: (reason: string) =>
    ValidationFailed('invalid_audit_webhook_url', `The webhook URL ${reason}.`, [
      { field: 'url', message: reason },
    ]),
  mainAccountOnly: () => NotFound('audit_account_not_found', 'The audit webhook belongs to a main account.'),
  noWebhook: () =>
    Conflict('no_audit_webhook', 'Set a webhook URL first: a secret signs the events sent to it.'),
} as const;
