import { useQuery } from '@tanstack/react-query';
import { api } from '../../api';

/** A SIP endpoint as GET /api/endpoints lists it. */
export interface Endpoint {
  endpointId: string;
  username: string;
  alias: string;
  appId: string | null;
  subaccount: string | null;
  sipUri: string;
  createdAt: string;
}

export const endpointsKey = ['endpoints'] as const;

export function useEndpoints() {
  return useQuery({
    queryKey: endpointsKey,
    queryFn: () => api.get<{ endpoints: Endpoint[]; total: number }>('/api/endpoints'),
  });
}

export const endpointPath = (endpointId: string) => `/api/endpoints/${encodeURIComponent(endpointId)}`;
