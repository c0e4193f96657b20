import { Type } from '@sinclair/typebox';
import { defineJob } from '../../jobs/definition.js';
import { AUDIT_WEBHOOK_JOB } from './audit.js';
import type { AuditEvents } from './service.js';

/**
 * One audit event POSTed to its main account's webhook, signed when sent. Retried with backoff
 * while the receiver is unreachable or answers anything but 2xx: 8 attempts, 30 s doubling (about
 * an hour in all), as balance alerts are.
 */
export function auditWebhookJob(events: Pick<AuditEvents, 'deliver'>) {
  return defineJob({
    name: AUDIT_WEBHOOK_JOB,
    payload: Type.Object({ accountId: Type.String(), eventId: Type.String({ pattern: '^[0-9]+$' }) }),
    retry: { limit: 8, backoffSeconds: 30 },
    handle: (payload) => events.deliver(payload),
  });
}

export const AUDIT_RETENTION_JOB = 'audit.retention';

/** Deletes audit events past the operator's retention once a day (idempotent: it deletes by age). */
export function auditRetentionJob(events: Pick<AuditEvents, 'purgeExpired'>, days: number) {
  return defineJob({
    name: AUDIT_RETENTION_JOB,
    payload: Type.Object({}),
    schedule: { everySeconds: 86_400 },
    handle: async () => {
      await events.purgeExpired(days);
    },
  });
}
