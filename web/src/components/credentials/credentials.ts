import type { Credentials } from '@server/modules/credentials/schemas';
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
