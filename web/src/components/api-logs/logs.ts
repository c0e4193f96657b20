import type { ApiRequestPage, FailedSignIns } from '@server/modules/api-logs/schemas';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../api';

export type { ApiRequest, FailedSignIn } from '@server/modules/api-logs/schemas';

/** The filters of Logs > API; from and to are local date-times as a datetime-local input holds them. */
export interface ApiLogFilter {
  from: string;
  to: string;
  status: string;
  path: string;
  /** '' for every request; a subaccount's Auth ID for its own; the main Auth ID for the main account's. */
  subaccount: string;
}

export const emptyFilter: ApiLogFilter = { from: '', to: '', status: '', path: '', subaccount: '' };

/** GET /api/logs/api for one page of requests, newest first; the previous page stays shown while the next loads. */
export function useApiLog(filter: ApiLogFilter, page: number, pageSize: number) {
  const query = new URLSearchParams({ limit: String(pageSize), offset: String((page - 1) * pageSize) });
  if (filter.from) query.set('from', new Date(filter.from).toISOString());
  if (filter.to) query.set('to', new Date(filter.to).toISOString());
  if (filter.status.trim()) query.set('status', filter.status.trim().toLowerCase());
  if (filter.path.trim()) query.set('path', filter.path.trim());
  if (filter.subaccount.trim()) query.set('subaccount', filter.subaccount.trim());
  return useQuery({
    queryKey: ['logs', 'api', query.toString()],
    queryFn: () => api.get<ApiRequestPage>(`/api/logs/api?${query}`),
    placeholderData: keepPreviousData,
  });
}

/** GET /api/logs/api/failed-sign-ins: the last 30 days, newest first (Owner and Admin). */
export function useFailedSignIns() {
  return useQuery({
    queryKey: ['logs', 'api', 'failed-sign-ins'],
    queryFn: () => api.get<FailedSignIns>('/api/logs/api/failed-sign-ins'),
  });
}
