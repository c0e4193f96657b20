import { useQuery } from '@tanstack/react-query';
import type { ConsoleSubaccount, ConsoleSubaccounts } from '../../../../src/modules/subaccounts/schemas';
import { api } from '../../api';

/** A subaccount as GET /api/subaccounts lists it, with its own Auth ID and newest Auth Token. */
export type Subaccount = ConsoleSubaccount;

export const subaccountsKey = ['subaccounts'] as const;

export function useSubaccounts(options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: subaccountsKey,
    queryFn: () => api.get<ConsoleSubaccounts>('/api/subaccounts'),
    enabled: options.enabled ?? true,
  });
}

export const subaccountPath = (authId: string) => `/api/subaccounts/${encodeURIComponent(authId)}`;

/** How a table names whom something belongs to: the subaccount's name, or the main account (null). */
export function ownerName(subaccounts: Subaccount[], authId: string | null): string {
  if (!authId) return 'Main account';
  return subaccounts.find((subaccount) => subaccount.authId === authId)?.name ?? authId;
}
