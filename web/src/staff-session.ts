import type { StaffMember, StaffSessionView } from '@server/modules/staff/schemas';
import { useQuery } from '@tanstack/react-query';
import { ApiError, api, rememberCsrfToken } from './api';

export type { StaffMember } from '@server/modules/staff/schemas';

/** Where a staff member stands: signed out, owing the authenticator code, or signed in. */
export type StaffSessionState =
  | { state: 'signed_out' }
  | { state: 'second_factor' }
  | { state: 'signed_in'; staff: StaffMember };

export const staffSessionKey = ['staff-session'] as const;

async function fetchStaffSession(): Promise<StaffSessionState> {
  try {
    const session = await api.get<StaffSessionView>('/api/staff/session');
    rememberCsrfToken('staff', session.csrfToken);
    return { state: 'signed_in', staff: session.staff };
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      rememberCsrfToken('staff', '');
      return { state: 'signed_out' };
    }
    if (error instanceof ApiError && error.code === 'second_factor_required')
      return { state: 'second_factor' };
    throw error;
  }
}

export function useStaffSession() {
  return useQuery({ queryKey: staffSessionKey, queryFn: fetchStaffSession, staleTime: 30_000 });
}
