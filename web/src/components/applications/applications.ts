import { useQuery } from '@tanstack/react-query';
import { api } from '../../api';

/** An application as GET /api/applications lists it (Plivo's field names). */
export interface Application {
  app_id: string;
  app_name: string;
  answer_url: string | null;
  answer_method: string;
  hangup_url: string | null;
  hangup_method: string;
  fallback_answer_url: string | null;
  fallback_method: string;
  message_url: string | null;
  message_method: string;
  default_app: boolean;
  default_endpoint_app: boolean;
  sip_uri: string;
  sub_account: string | null;
}

export const applicationsKey = ['applications'] as const;

export function useApplications(options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: applicationsKey,
    queryFn: () => api.get<{ applications: Application[]; total: number }>('/api/applications'),
    enabled: options.enabled ?? true,
  });
}

export const applicationPath = (appId: string) => `/api/applications/${encodeURIComponent(appId)}`;

/** What deleting an application does, said wherever its deletion is confirmed. */
export const deleteConsequence =
  'Calls and messages to its numbers and endpoints stop reaching your URLs; the numbers and endpoints are kept without an application.';
