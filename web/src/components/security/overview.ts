import type { FactorMethod, SecurityOverview } from '@server/modules/identity/schemas';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api';

export type { SecurityOverview } from '@server/modules/identity/schemas';

export const securityKey = ['security'] as const;

export function useSecurityOverview() {
  return useQuery({ queryKey: securityKey, queryFn: () => api.get<SecurityOverview>('/api/security') });
}

/** The methods that can prove it is you right now. */
export function methodsOf(overview: SecurityOverview): FactorMethod[] {
  const methods: FactorMethod[] = [];
  if (overview.authenticatorApp.enabled) methods.push('totp');
  if (overview.phone.enabled) methods.push('phone');
  if (overview.recoveryCodes.remaining > 0) methods.push('recovery_code');
  return methods;
}
