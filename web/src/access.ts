import type { Me } from '@server/modules/identity/schemas';
import { useQuery } from '@tanstack/react-query';
import { api } from './api';
import { type Capability, type Role, roleNames, rolesFor } from './roles';

export type { Me } from '@server/modules/identity/schemas';

export const meKey = ['me'] as const;

export function useMe() {
  return useQuery({ queryKey: meKey, queryFn: () => api.get<Me>('/api/me'), staleTime: 60_000 });
}

/** The person's role in the current account, and what it allows; `pending` until /api/me answers. */
export function useAccess() {
  const me = useMe();
  const accountId = me.data?.account?.id;
  const role = me.data?.memberships.find((membership) => membership.accountId === accountId)?.role;
  return {
    pending: me.isPending,
    role,
    roleName: role ? roleNames[role] : undefined,
    can: (capability: Capability) => Boolean(role && (rolesFor[capability] as Role[]).includes(role)),
  };
}
