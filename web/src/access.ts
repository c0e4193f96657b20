import { useQuery } from '@tanstack/react-query';
import { api } from './api';
import type { AccountView } from './session';

export type Role = 'owner' | 'admin' | 'developer' | 'support' | 'financial_analyst';

export const roleNames: Record<Role, string> = {
  owner: 'Owner',
  admin: 'Admin',
  developer: 'Developer',
  support: 'Support',
  financial_analyst: 'Financial Analyst',
};

/** GET /api/me: the person, the current account and every membership with its role. */
export interface Me {
  user: { id: string; name: string; email: string };
  account: AccountView | null;
  memberships: { accountId: string; name: string; authId: string; status: string; role: Role }[];
}

/**
 * What the console offers per role, mirroring the server's permission table (src/http/permissions.ts):
 * Developer views the Auth ID and Auth Token and uses Logs; tokens, IP whitelisting and the team are Owner/Admin.
 * Developer also lists subaccounts and manages applications, endpoints and phone numbers; SSO, changing
 * subaccounts and renting or releasing numbers are Owner/Admin.
 * The server still decides; pages show its 403 when this table and the server disagree.
 */
const rolesFor = {
  viewCredentials: ['owner', 'admin', 'developer'],
  manageCredentials: ['owner', 'admin'],
  manageIpWhitelist: ['owner', 'admin'],
  readApiLogs: ['owner', 'admin', 'developer', 'support'],
  manageTeam: ['owner', 'admin'],
  manageSso: ['owner', 'admin'],
  viewSubaccounts: ['owner', 'admin', 'developer'],
  manageSubaccounts: ['owner', 'admin'],
  manageApplications: ['owner', 'admin', 'developer'],
  manageEndpoints: ['owner', 'admin', 'developer'],
  manageNumbers: ['owner', 'admin', 'developer'],
  rentNumbers: ['owner', 'admin'],
} satisfies Record<string, Role[]>;

export type Capability = keyof typeof rolesFor;

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
