import type {
  ConsoleMessageDetail,
  ConsoleMessagePage,
  ConsoleSend,
  ConsoleSent,
  OwnedSenderIds,
  SenderIdWhitelisting,
  Senders,
} from '@server/modules/messaging/console-schemas';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api';

export type { ConsoleMessage, Senders, TimelineEvent } from '@server/modules/messaging/console-schemas';

/** Messaging > Logs' filters; from and to are local date-times as a datetime-local input holds them; '' is "any". */
export interface MessageLogFilter {
  from: string;
  to: string;
  state: string;
  direction: string;
  fromNumber: string;
  toNumber: string;
  /** '' for every message; a subaccount's Auth ID for its own. */
  subaccount: string;
}

export const emptyMessageFilter: MessageLogFilter = {
  from: '',
  to: '',
  state: '',
  direction: '',
  fromNumber: '',
  toNumber: '',
  subaccount: '',
};

/** States a message leaves by itself soon: the page looks again until it is final. */
const inFlight = new Set(['queued', 'sent']);
export const isInFlight = (state: string) => inFlight.has(state);
/** How often a page showing a message in flight looks again. */
const refreshMs = 1_000;

const messagesKey = ['messaging', 'messages'] as const;

/** GET /api/messaging/messages: one page, newest first; looked at again while a shown message is in flight. */
export function useMessages(filter: MessageLogFilter, page: number, pageSize: number) {
  const query = new URLSearchParams({ limit: String(pageSize), offset: String((page - 1) * pageSize) });
  for (const [name, value] of Object.entries(filter)) {
    if (!value.trim()) continue;
    query.set(name, name === 'from' || name === 'to' ? new Date(value).toISOString() : value.trim());
  }
  return useQuery({
    queryKey: [...messagesKey, query.toString()],
    queryFn: () => api.get<ConsoleMessagePage>(`/api/messaging/messages?${query}`),
    placeholderData: keepPreviousData,
    refetchInterval: (current) =>
      current.state.data?.messages.some((message) => isInFlight(message.state)) ? refreshMs : false,
  });
}

/** GET /api/messaging/messages/:uuid: the message with its timeline, looked at again until it is final. */
export function useMessage(uuid: string) {
  return useQuery({
    queryKey: [...messagesKey, 'one', uuid],
    queryFn: () => api.get<ConsoleMessageDetail>(`/api/messaging/messages/${encodeURIComponent(uuid)}`),
    refetchInterval: (current) =>
      current.state.data && isInFlight(current.state.data.state) ? refreshMs : false,
  });
}

/** DELETE /api/messaging/messages/:uuid: a scheduled message will not be sent. */
export function useCancelMessage(uuid: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api.delete(`/api/messaging/messages/${encodeURIComponent(uuid)}`),
    onSuccess: () => client.invalidateQueries({ queryKey: messagesKey }),
  });
}

/** What the account may send from (numbers with SMS, sender IDs), for the test SMS form. */
export function useSenders() {
  return useQuery({
    queryKey: ['messaging', 'senders'],
    queryFn: () => api.get<Senders>('/api/messaging/senders'),
  });
}

/** POST /api/messaging/messages: the test SMS; the logs show it at once. */
export function useSendMessage() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: ConsoleSend) => api.post<ConsoleSent>('/api/messaging/messages', input),
    onSuccess: () => client.invalidateQueries({ queryKey: messagesKey }),
  });
}

const senderIdsKey = ['messaging', 'sender-ids'] as const;

/** The sender IDs of the main account and every subaccount, whitelisting one, removing one. */
export function useSenderIds() {
  const client = useQueryClient();
  const changed = () =>
    Promise.all([
      client.invalidateQueries({ queryKey: senderIdsKey }),
      client.invalidateQueries({ queryKey: ['messaging', 'senders'] }),
    ]);
  const list = useQuery({
    queryKey: senderIdsKey,
    queryFn: () => api.get<OwnedSenderIds>('/api/messaging/sender-ids'),
  });
  const add = useMutation({
    mutationFn: (input: SenderIdWhitelisting) => api.post('/api/messaging/sender-ids', input),
    onSuccess: changed,
  });
  const remove = useMutation({
    mutationFn: (id: string) => api.delete(`/api/messaging/sender-ids/${id}`),
    onSuccess: changed,
  });
  return { list, add, remove };
}
