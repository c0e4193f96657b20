import { useQuery } from '@tanstack/react-query';
import { api } from '../../api';
import type { FactorMethod } from '../../session';

/** GET /api/security: the person's two-factor methods and recovery codes left. */
export interface SecurityOverview {
  phone: { number: string | null; verified: boolean; enabled: boolean };
  authenticatorApp: { enabled: boolean; enabledAt: string | null };
  recoveryCodes: { remaining: number };
}

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
