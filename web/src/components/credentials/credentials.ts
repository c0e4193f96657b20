import { useQuery } from '@tanstack/react-query';
import { api } from '../../api';

/** A live Auth Token as listed: only its last 4 characters. */
export interface AuthTokenView {
  id: string;
  last4: string;
  createdAt: string;
  lastUsedAt: string | null;
}

/** GET /api/credentials: the Auth ID, the newest live Auth Token in full, and every live token. */
export interface Credentials {
  authId: string;
  authToken: string | null;
  tokens: AuthTokenView[];
}

export const credentialsKey = ['credentials'] as const;

export function useCredentials(options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: credentialsKey,
    queryFn: () => api.get<Credentials>('/api/credentials'),
    enabled: options.enabled ?? true,
  });
}
