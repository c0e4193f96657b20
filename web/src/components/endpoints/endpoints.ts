import { useQuery } from '@tanstack/react-query';
import type { ConsoleEndpoints } from '../../../../src/modules/endpoints/schemas';
import { api } from '../../api';

/** A SIP endpoint as GET /api/endpoints lists it. */
export type { ConsoleEndpoint as Endpoint } from '../../../../src/modules/endpoints/schemas';

export const endpointsKey = ['endpoints'] as const;

export function useEndpoints() {
  return useQuery({
    queryKey: endpointsKey,
    queryFn: () => api.get<ConsoleEndpoints>('/api/endpoints'),
  });
}

export const endpointPath = (endpointId: string) => `/api/endpoints/${encodeURIComponent(endpointId)}`;
