import type { IpWhitelist } from '@server/modules/ip-whitelist/schemas';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api';

export type { CidrEntry } from '@server/modules/ip-whitelist/schemas';

export const ipWhitelistKey = ['ip-whitelist'] as const;

export function useIpWhitelist() {
  return useQuery({ queryKey: ipWhitelistKey, queryFn: () => api.get<IpWhitelist>('/api/ip-whitelist') });
}
