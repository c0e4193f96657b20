import type { AuditEventPage, AuditWebhook, AuditWebhookSecret } from '@server/modules/audit/schemas';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api';

export type { AuditEventView } from '@server/modules/audit/schemas';
export { AUDIT_RESOURCES } from './resources';

/** Account > Settings > Audit Log's filters as the address holds them; from and to as a datetime-local input holds them. */
export interface AuditFilter {
  actor: string;
  action: string;
  resource: string;
  ip: string;
  from: string;
  to: string;
}

export const emptyAuditFilter: AuditFilter = {
  actor: '',
  action: '',
  resource: '',
  ip: '',
  from: '',
  to: '',
};

/** The filters as the API reads them (times in UTC); the page and the export share them. */
export function auditQuery(filter: AuditFilter): URLSearchParams {
  const query = new URLSearchParams();
  for (const name of ['actor', 'action', 'resource', 'ip'] as const)
    if (filter[name].trim()) query.set(name, filter[name].trim());
  if (filter.from) query.set('from', new Date(filter.from).toISOString());
  if (filter.to) query.set('to', new Date(filter.to).toISOString());
  return query;
}

/** GET /api/audit/events: one page, newest first; the previous page stays shown while the next loads. */
export function useAuditEvents(filter: AuditFilter, page: number, pageSize: number) {
  const query = auditQuery(filter);
  query.set('limit', String(pageSize));
  query.set('offset', String((page - 1) * pageSize));
  return useQuery({
    queryKey: ['audit', 'events', query.toString()],
    queryFn: () => api.get<AuditEventPage>(`/api/audit/events?${query}`),
    placeholderData: keepPreviousData,
  });
}

const webhookKey = ['audit', 'webhook'] as const;

export function useAuditWebhook() {
  return useQuery({ queryKey: webhookKey, queryFn: () => api.get<AuditWebhook>('/api/audit/webhook') });
}

/** Saving, removing the webhook and issuing a new secret; each refreshes what the page shows. */
export function useAuditWebhookChanges() {
  const client = useQueryClient();
  const refresh = () => client.invalidateQueries({ queryKey: ['audit'] });
  return {
    save: useMutation({
      mutationFn: (url: string) => api.put<AuditWebhook>('/api/audit/webhook', { url }),
      onSuccess: refresh,
    }),
    remove: useMutation({ mutationFn: () => api.delete<void>('/api/audit/webhook'), onSuccess: refresh }),
    rotate: useMutation({
      mutationFn: () => api.post<AuditWebhookSecret>('/api/audit/webhook/secret'),
      onSuccess: refresh,
    }),
  };
}
