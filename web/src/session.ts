import type { ConsoleSession } from '@server/modules/identity/schemas';
import { type QueryClient, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api, rememberCsrfToken } from './api';

export type {
  AccountView,
  ConsoleSession,
  FactorMethod,
  PhoneChannel,
  SignInMethod,
} from '@server/modules/identity/schemas';

export const sessionKey = ['session'] as const;

/** The current session, or null when signed out (the API answers 401). */
async function fetchSession(): Promise<ConsoleSession | null> {
  try {
    const session = await api.get<ConsoleSession>('/api/session');
    rememberCsrfToken('user', session.csrfToken);
    return session;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      rememberCsrfToken('user', '');
      return null;
    }
    throw error;
  }
}

/** The session; `refetchInterval` polls it while a page waits for something done elsewhere (an email link). */
export function useSession(options: { refetchInterval?: number } = {}) {
  return useQuery({ queryKey: sessionKey, queryFn: fetchSession, staleTime: 30_000, ...options });
}

/** Reads the session again (after a sign-in step rotated it) and answers it. */
export function reloadSession(queryClient: QueryClient) {
  return queryClient.fetchQuery({ queryKey: sessionKey, queryFn: fetchSession, staleTime: 0 });
}

export function useReloadSession() {
  const queryClient = useQueryClient();
  return () => reloadSession(queryClient);
}

/**
 * After the session moved to another account (switching, accepting an invitation): reads the session
 * again and forgets everything read for the previous account, so pages read the new one's.
 */
export async function enterAccount(queryClient: QueryClient) {
  const session = await reloadSession(queryClient);
  queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== sessionKey[0] });
  return session;
}

/** Where a session belongs: the sign-in second step, a required new password, onboarding, or the console. */
export function placeOf(
  session: ConsoleSession | null,
): 'signin' | 'second_factor' | 'password_change' | 'onboarding' | 'console' {
  if (!session) return 'signin';
  if (session.stage === 'second_factor') return 'second_factor';
  if (session.stage === 'password_change') return 'password_change';
  if (session.stage === 'onboarding') return 'onboarding';
  if (session.account?.status === 'pending_verification') return 'onboarding';
  return 'console';
}

/** Signs out and forgets everything cached for the person. */
export async function signOut(queryClient: QueryClient) {
  try {
    await api.delete('/api/session');
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401)) throw error;
  }
  rememberCsrfToken('user', '');
  queryClient.clear();
  queryClient.setQueryData(sessionKey, null);
}
