import type { UsageEmailSetting, UsageSummary } from '@server/modules/billing/usage-schemas';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api';

export type { UsageSummary } from '@server/modules/billing/usage-schemas';

/** The filters of Billing > Usage Summary: local days (YYYY-MM-DD), product and subaccount; '' is "any". */
export interface UsageFilter {
  from: string;
  to: string;
  product: string;
  /** '' for all; a subaccount's Auth ID for its own; the main Auth ID for the main account's own. */
  subaccount: string;
}

export const emptyUsageFilter: UsageFilter = { from: '', to: '', product: '', subaccount: '' };

/** The query string of a filter, shared by the summary and its CSV export. */
export function usageQuery(filter: UsageFilter): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(filter)) if (value.trim()) query.set(name, value.trim());
  return query.toString();
}

/** GET /api/billing/usage: totals by day and by product and subaccount. */
export function useUsageSummary(filter: UsageFilter) {
  const query = usageQuery(filter);
  return useQuery({
    queryKey: ['billing', 'usage', query],
    queryFn: () => api.get<UsageSummary>(`/api/billing/usage?${query}`),
    placeholderData: keepPreviousData,
  });
}

const emailKey = ['billing', 'usage', 'email'] as const;

/** The member's daily usage summary email setting, and turning it on or off. */
export function useUsageEmail() {
  const client = useQueryClient();
  const setting = useQuery({
    queryKey: emailKey,
    queryFn: () => api.get<UsageEmailSetting>('/api/billing/usage/email'),
  });
  const change = useMutation({
    mutationFn: (enabled: boolean) => api.put<UsageEmailSetting>('/api/billing/usage/email', { enabled }),
    onSuccess: (answer) => client.setQueryData(emailKey, answer),
  });
  return { setting, change };
}
