import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../api';

/** One API request as Logs > API lists it. */
export interface ApiRequest {
  apiId: string;
  method: string;
  path: string;
  status: number;
  ip: string;
  durationMs: number;
  at: string;
  /** The subaccount whose credentials made the request; null for the main account's own. */
  subaccount: string | null;
}

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
    queryFn: () => api.get<{ requests: ApiRequest[]; total: number }>(`/api/logs/api?${query}`),
    placeholderData: keepPreviousData,
  });
}

/** Failed authentications against one Auth ID from one address in one hour. */
export interface FailedSignIn {
  authId: string;
  subaccount: boolean;
  ip: string;
  count: number;
  firstAt: string;
  lastAt: string;
}

/** GET /api/logs/api/failed-sign-ins: the last 30 days, newest first (Owner and Admin). */
export function useFailedSignIns() {
  return useQuery({
    queryKey: ['logs', 'api', 'failed-sign-ins'],
    queryFn: () => api.get<{ failures: FailedSignIn[] }>('/api/logs/api/failed-sign-ins'),
  });
}
