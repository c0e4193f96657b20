import { useQuery } from '@tanstack/react-query';
import { api } from '../../api';

export interface CidrEntry {
  id: string;
  cidr: string;
  createdAt: string;
}

/** GET /api/ip-whitelist: whether the list is enforced, its CIDR addresses, and the address you use now. */
export interface IpWhitelist {
  enabled: boolean;
  entries: CidrEntry[];
  yourAddress: string;
}

export const ipWhitelistKey = ['ip-whitelist'] as const;

export function useIpWhitelist() {
  return useQuery({ queryKey: ipWhitelistKey, queryFn: () => api.get<IpWhitelist>('/api/ip-whitelist') });
}
