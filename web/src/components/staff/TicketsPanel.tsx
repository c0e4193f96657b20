import {
  Alert,
  Anchor,
  Badge,
  Button,
  Checkbox,
  FileInput,
  Group,
  Loader,
  Paper,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, formError } from '../../api';
import { TicketTable } from '../support/TicketTable';
import {
  type AgentList,
  acceptedFiles,
  categories,
  label,
  priorities,
  type StaffTicket,
  type StaffTicketQueue,
  saveDownload,
  statuses,
  statusLabels,
  uploadsOf,
} from '../support/tickets';

const options = (values: readonly string[], names: (value: string) => string = label) =>
  values.map((value) => ({ value, label: names(value) }));

/** Staff > Tickets: the queue with its filters and SLA clock, and a ticket with replies, notes, status and assignment. */
export function TicketsPanel() {
  const [filters, setFilters] = useState<Record<string, string>>({});
  const [overdue, setOverdue] = useState(false);
  const [selected, setSelected] = useState<string | null>(null);
  const query = new URLSearchParams({ ...filters, ...(overdue ? { overdue: 'true' } : {}) }).toString();
  const queue = useQuery({
    queryKey: ['staff', 'tickets', query],
    queryFn: () => api.get<StaffTicketQueue>(`/api/staff/tickets${query ? `?${query}` : ''}`),
  });
  const set = (name: string) => (value: string | null) =>
    setFilters(({ [name]: _old, ...rest }) => (value ? { ...rest, [name]: value } : rest));
  return (
    <Stack>
      <Title order={2} fz="h3">
        Tickets
      </Title>
      <Group align="end">
        <Select
          label="Status"
          clearable
          data={options(statuses, (s) => statusLabels[s] ?? s)}
          value={filters.status ?? null}
          onChange={set('status')}
        />
        <Select
          label="Priority"
          clearable
          data={options(priorities)}
          value={filters.priority ?? null}
          onChange={set('priority')}
        />
        <Select
          label="Category"
          clearable
          data={options(categories)}
          value={filters.category ?? null}
          onChange={set('category')}
        />
        <TextInput
          label="Account (Auth ID)"
          value={filters.account ?? ''}
          onChange={(e) => set('account')(e.currentTarget.value.trim() || null)}
        />
        <Checkbox
          label="Overdue only"
          checked={overdue}
          onChange={(e) => setOverdue(e.currentTarget.checked)}
        />
      </Group>
      {queue.isPending && <Loader size="sm" />}
      {queue.isError && <Alert color="red">{queue.error.message}</Alert>}
      {queue.data && (
        <TicketTable
          label="Ticket queue"
          tickets={queue.data.tickets}
          columns={[
            { header: 'Account', cell: (ticket) => ticket.account?.authId ?? ticket.email },
            { header: 'Assignee', cell: (ticket) => ticket.assignee?.name ?? '—' },
            {
              header: 'SLA',
              cell: (ticket) =>
                ticket.overdue ? (
                  <Badge color="red">Overdue</Badge>
                ) : ticket.slaDueAt ? (
                  new Date(ticket.slaDueAt).toLocaleString()
                ) : (
                  '—'
                ),
            },
          ]}
          onOpen={setSelected}
        />
      )}
      {queue.data?.tickets.length === 0 && <Text c="dimmed">No tickets match.</Text>}
      {selected && <StaffTicketView number={selected} />}
    </Stack>
  );
}

function StaffTicketView({ number }: { number: string }) {
  const queryClient = useQueryClient();
  const key = ['staff', 'ticket', number];
  const ticket = useQuery({
    queryKey: key,
    queryFn: () => api.get<StaffTicket>(`/api/staff/tickets/${number}`),
  });
  const agents = useQuery({
    queryKey: ['staff', 'agents'],
    queryFn: () => api.get<AgentList>('/api/staff/tickets/agents'),
  });
  const [body, setBody] = useState('');
  const [internal, setInternal] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const [files, setFiles] = useState<File[]>([]);
  const changed = (next: StaffTicket) => {
    queryClient.setQueryData(key, next);
    void queryClient.invalidateQueries({ queryKey: ['staff', 'tickets'] });
  };
  const reply = useMutation({
    mutationFn: async () =>
      api.post<StaffTicket>(`/api/staff/tickets/${number}/replies`, {
        body,
        internal,
        ...(status ? { status } : {}),
        attachments: await uploadsOf(files),
      }),
    onSuccess: (next) => {
      changed(next);
      setBody('');
      setFiles([]);
      setStatus(null);
    },
  });
  const assign = useMutation({
    mutationFn: (assigneeId: string | null) =>
      api.put<StaffTicket>(`/api/staff/tickets/${number}/assignee`, { assigneeId }),
    onSuccess: changed,
  });
  const setTicketStatus = useMutation({
    mutationFn: (next: string) =>
      api.put<StaffTicket>(`/api/staff/tickets/${number}/status`, { status: next }),
    onSuccess: changed,
  });
  if (ticket.isPending) return <Loader size="sm" />;
  if (ticket.isError) return <Alert color="red">{ticket.error.message}</Alert>;
  const t = ticket.data;
  return (
    <Paper withBorder p="md">
      <Stack>
        <Group gap="xs">
          <Text fw={600}>
            {t.number}: {t.subject}
          </Text>
          <Badge>{statusLabels[t.status]}</Badge>
          {t.overdue && <Badge color="red">Overdue</Badge>}
          <Text fz="sm" c="dimmed">
            {t.email}
            {t.account ? ` · ${t.account.name} (${t.account.authId})` : ''}
          </Text>
        </Group>
        <Group align="end">
          <Select
            label="Assignee"
            clearable
            data={(agents.data?.agents ?? []).map((agent) => ({ value: agent.id, label: agent.name }))}
            value={t.assignee?.id ?? null}
            onChange={(value) => assign.mutate(value)}
          />
          <Select
            label="Status"
            data={options(statuses, (s) => statusLabels[s] ?? s)}
            value={t.status}
            allowDeselect={false}
            onChange={(value) => value && setTicketStatus.mutate(value)}
          />
        </Group>
        {(assign.isError || setTicketStatus.isError) && (
          <Alert color="red">{formError(assign.error ?? setTicketStatus.error)}</Alert>
        )}
        {t.messages.map((message) => (
          <Paper
            key={message.id}
            withBorder
            p="sm"
            bg={message.internal ? 'yellow.0' : message.author === 'staff' ? 'indigo.0' : undefined}
          >
            <Text fz="xs" c="dimmed">
              {message.authorName} · {new Date(message.createdAt).toLocaleString()}
              {message.internal ? ' · internal note' : ''}
            </Text>
            <Text style={{ whiteSpace: 'pre-wrap' }}>{message.body}</Text>
            {message.attachments.map((file) => (
              <Anchor
                key={file.id}
                component="button"
                fz="sm"
                onClick={async () =>
                  saveDownload(
                    await fetch(`/api/staff/tickets/${number}/attachments/${file.id}`),
                    file.fileName,
                  )
                }
              >
                {file.fileName}
              </Anchor>
            ))}
          </Paper>
        ))}
        <form
          onSubmit={(event) => {
            event.preventDefault();
            reply.mutate();
          }}
        >
          <Stack gap="xs">
            <Textarea
              label="Answer"
              value={body}
              onChange={(e) => setBody(e.currentTarget.value)}
              minRows={3}
              required
            />
            <Checkbox
              label="Internal note (never shown to the customer)"
              checked={internal}
              onChange={(e) => setInternal(e.currentTarget.checked)}
            />
            <Select
              label="Then set status"
              clearable
              placeholder={internal ? 'unchanged' : 'Waiting on customer'}
              data={options(statuses, (s) => statusLabels[s] ?? s)}
              value={status}
              onChange={setStatus}
            />
            <FileInput
              label="Attach files"
              multiple
              clearable
              accept={acceptedFiles}
              value={files}
              onChange={setFiles}
            />
            {reply.isError && <Alert color="red">{formError(reply.error)}</Alert>}
            <Group>
              <Button type="submit" loading={reply.isPending}>
                {internal ? 'Add note' : 'Send answer'}
              </Button>
            </Group>
          </Stack>
        </form>
      </Stack>
    </Paper>
  );
}
