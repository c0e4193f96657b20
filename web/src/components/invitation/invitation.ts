import type { InvitationView } from '@server/modules/team/schemas';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api';

export type { InvitationView } from '@server/modules/team/schemas';

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
