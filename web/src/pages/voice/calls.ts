import type {
  ConsoleCallDetail,
  ConsoleCallPage,
  HangupRequested,
} from '@server/modules/voice/console-schemas';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api } from '../../api';

export type { ConsoleCall, ConsoleCallDetail } from '@server/modules/voice/console-schemas';

/** Voice > Calls' filters as the address holds them; '' is "any". */
export interface CallLogFilter {
  direction: string;
  fromNumber: string;
  toNumber: string;
  /** '' for every call; a subaccount's Auth ID for its own. */
  subaccount: string;
  /** 'true': only the live calls (ringing or answered). */
  live: string;
}

export const emptyCallFilter: CallLogFilter = {
  direction: '',
  fromNumber: '',
  toNumber: '',
  subaccount: '',
  live: '',
};

/** A call not ended yet: the page looks again until it is. */
export const isLive = (state: string) => state !== 'completed';
/** How often a page showing a live call looks again. */
const refreshMs = 2_000;

const callsKey = ['voice', 'calls'] as const;

/** GET /api/voice/calls: one page, newest first; looked at again while a shown call (or the live view) goes on. */
export function useCalls(filter: CallLogFilter, page: number, pageSize: number) {
  const query = new URLSearchParams({ limit: String(pageSize), offset: String((page - 1) * pageSize) });
  for (const [name, value] of Object.entries(filter)) if (value.trim()) query.set(name, value.trim());
  return useQuery({
    queryKey: [...callsKey, query.toString()],
    queryFn: () => api.get<ConsoleCallPage>(`/api/voice/calls?${query}`),
    placeholderData: keepPreviousData,
    refetchInterval: (current) =>
      filter.live === 'true' || current.state.data?.calls.some((call) => isLive(call.state))
        ? refreshMs
        : false,
  });
}

/** GET /api/voice/calls/:uuid: the call, looked at again until it ends. */
export function useCall(uuid: string) {
  return useQuery({
    queryKey: [...callsKey, 'one', uuid],
    queryFn: () => api.get<ConsoleCallDetail>(`/api/voice/calls/${encodeURIComponent(uuid)}`),
    refetchInterval: (current) =>
      current.state.data && isLive(current.state.data.state) ? refreshMs : false,
  });
}

/** POST /api/voice/calls/:uuid/hangup: the SIP server is asked to end the call; the lists look again. */
export function useHangUp(uuid: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<HangupRequested>(`/api/voice/calls/${encodeURIComponent(uuid)}/hangup`),
    onSettled: () => client.invalidateQueries({ queryKey: callsKey }),
  });
}

/** A call that ended before the hang-up reached it: nothing is left to hang up. */
export const endedMeanwhile =
  'This call has already ended, so there is nothing to hang up. The call list shows how it ended.';

/** Why a hang-up was refused, in words: the server's 409 and 404 read as what to do next. */
export function hangUpRefusal(error: unknown): string | undefined {
  if (!error) return undefined;
  if (!(error instanceof ApiError)) return error instanceof Error ? error.message : String(error);
  if (error.status === 409)
    return 'This call is still ringing. Only an answered call can be hung up: try again once it is answered, or let it ring out.';
  if (error.status === 404) return endedMeanwhile;
  return error.detail;
}

/** Seconds as a duration: 42 → "0:42", 3725 → "1:02:05". */
export function formatDuration(seconds: number): string {
  const whole = Math.max(0, Math.floor(seconds));
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = String(whole % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}
