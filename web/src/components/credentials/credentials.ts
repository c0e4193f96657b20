import type { ApiKeyList, ApiKeyView, Credentials } from '@server/modules/credentials/schemas';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api';

export type { AuthTokenView } from '@server/modules/credentials/schemas';

export const credentialsKey = ['credentials'] as const;

export function useCredentials(options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: credentialsKey,
    queryFn: () => api.get<Credentials>('/api/credentials'),
    enabled: options.enabled ?? true,
  });
}

export type { ApiKeyList, ApiKeyView } from '@server/modules/credentials/schemas';

export const apiKeysKey = ['credentials', 'api-keys'] as const;

export function useApiKeys(options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: apiKeysKey,
    queryFn: () => api.get<ApiKeyList>('/api/credentials/api-keys'),
    enabled: options.enabled ?? true,
  });
}

/** A key's permissions in words: "Full access", or "Message: create, read · Number: read". */
export function permissionsText(key: Pick<ApiKeyView, 'fullAccess' | 'grants'>): string {
  if (key.fullAccess) return 'Full access';
  return Object.entries(key.grants)
    .map(([resource, actions]) => `${resource}: ${actions.join(', ')}`)
    .join(' · ');
}
