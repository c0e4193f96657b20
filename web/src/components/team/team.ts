import type { AssignableRole, Team } from '@server/modules/team/schemas';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api';

export type { AssignableRole, Invitation, Member } from '@server/modules/team/schemas';

export const assignableRoles: { value: AssignableRole; label: string }[] = [
  { value: 'admin', label: 'Admin' },
  { value: 'developer', label: 'Developer' },
  { value: 'support', label: 'Support' },
  { value: 'financial_analyst', label: 'Financial Analyst' },
];

export const teamKey = ['team'] as const;

export function useTeam() {
  return useQuery({ queryKey: teamKey, queryFn: () => api.get<Team>('/api/team') });
}

export const formatDate = (iso: string) => new Date(iso).toLocaleDateString();
