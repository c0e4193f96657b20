import { useQuery } from '@tanstack/react-query';
import { api } from '../../api';
import type { Role } from '../../roles';

/** Roles a member can be given; Owner belongs to the account's creator and never moves. */
export type AssignableRole = Exclude<Role, 'owner'>;

export const assignableRoles: { value: AssignableRole; label: string }[] = [
  { value: 'admin', label: 'Admin' },
  { value: 'developer', label: 'Developer' },
  { value: 'support', label: 'Support' },
  { value: 'financial_analyst', label: 'Financial Analyst' },
];

export interface Member {
  userId: string;
  name: string;
  email: string;
  role: Role;
  joinedAt: string;
}

export interface Invitation {
  id: string;
  email: string;
  role: AssignableRole;
  createdAt: string;
  lastSentAt: string;
}

/** GET /api/team: the account's members with their roles, and its pending invitations. */
export interface Team {
  members: Member[];
  invitations: Invitation[];
}

export const teamKey = ['team'] as const;

export function useTeam() {
  return useQuery({ queryKey: teamKey, queryFn: () => api.get<Team>('/api/team') });
}

export const formatDate = (iso: string) => new Date(iso).toLocaleDateString();
