import { useQuery } from '@tanstack/react-query';
import { api } from '../../api';
import type { Role } from '../../roles';

/** GET /api/invitations/:token: what an invitation link is for. */
export interface InvitationView {
  accountName: string;
  email: string;
  role: Role;
  invitedBy: string | null;
  hasUser: boolean;
  expiresAt: string;
}

export function useInvitation(token: string) {
  return useQuery({
    queryKey: ['invitation', token],
    queryFn: () => api.get<InvitationView>(`/api/invitations/${encodeURIComponent(token)}`),
    enabled: token.length > 0,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** The sign-in page, coming back to this invitation afterwards. */
export const signInToAccept = (token: string) =>
  `/signin?next=${encodeURIComponent(`/invitation?token=${token}`)}`;
