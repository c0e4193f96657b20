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
}

/** The filters of Logs > API; from and to are local date-times as a datetime-local input holds them. */
export interface ApiLogFilter {
  from: string;
  to: string;
  status: string;
  path: string;
}

export const emptyFilter: ApiLogFilter = { from: '', to: '', status: '', path: '' };

/** GET /api/logs/api for one page of requests, newest first; the previous page stays shown while the next loads. */
export function useApiLog(filter: ApiLogFilter, page: number, pageSize: number) {
  const query = new URLSearchParams({ limit: String(pageSize), offset: String((page - 1) * pageSize) });
  if (filter.from) query.set('from', new Date(filter.from).toISOString());
  if (filter.to) query.set('to', new Date(filter.to).toISOString());
  if (filter.status.trim()) query.set('status', filter.status.trim().toLowerCase());
  if (filter.path.trim()) query.set('path', filter.path.trim());
  return useQuery({
    queryKey: ['logs', 'api', query.toString()],
    queryFn: () => api.get<{ requests: ApiRequest[]; total: number }>(`/api/logs/api?${query}`),
    placeholderData: keepPreviousData,
  });
}
