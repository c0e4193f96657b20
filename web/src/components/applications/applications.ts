import { useQuery } from '@tanstack/react-query';
import type { Applications } from '../../../../src/modules/applications/schemas';
import { api } from '../../api';

/** An application as GET /api/applications lists it (Plivo's field names). */
export type { Application } from '../../../../src/modules/applications/schemas';

export const applicationsKey = ['applications'] as const;

export function useApplications(options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: applicationsKey,
    queryFn: () => api.get<Applications>('/api/applications'),
    enabled: options.enabled ?? true,
  });
}

export const applicationPath = (appId: string) => `/api/applications/${encodeURIComponent(appId)}`;

/** What deleting an application does, said wherever its deletion is confirmed. */
export const deleteConsequence =
  'Calls and messages to its numbers and endpoints stop reaching your URLs; the numbers and endpoints are kept without an application.';
