import { Alert, Button, Group, Loader, Stack, Text } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../api';
import { PageTitle } from '../components/PageTitle';
import { TicketConversation } from '../components/support/TicketConversation';
import { TicketTable } from '../components/support/TicketTable';
import { type CustomerTicketList, saveDownload, type Ticket } from '../components/support/tickets';

const ticketsKey = ['support', 'tickets'] as const;

/** Support: the account's tickets, each with its conversation, replies and Reopen. */
export function SupportTicketsPage() {
  const tickets = useQuery({
    queryKey: ticketsKey,
    queryFn: () => api.get<CustomerTicketList>('/api/tickets'),
  });
  const [selected, setSelected] = useState<string | null>(null);
  return (
    <Stack>
      <Group justify="space-between">
        <PageTitle title="Support" />
        <Button component={Link} to="/support">
          Create New Ticket
        </Button>
      </Group>
      {tickets.isPending && <Loader size="sm" />}
      {tickets.isError && <Alert color="red">{tickets.error.message}</Alert>}
      {tickets.data && tickets.data.tickets.length === 0 && (
        <Text c="dimmed">The account has no tickets yet.</Text>
      )}
      {tickets.data && tickets.data.tickets.length > 0 && (
        <TicketTable
          label="Tickets"
          tickets={tickets.data.tickets}
          columns={[{ header: 'Updated', cell: (ticket) => new Date(ticket.updatedAt).toLocaleString() }]}
          onOpen={setSelected}
        />
      )}
      {selected && <AccountTicket number={selected} />}
    </Stack>
  );
}

function AccountTicket({ number }: { number: string }) {
  const queryClient = useQueryClient();
  const key = ['support', 'ticket', number];
  const ticket = useQuery({ queryKey: key, queryFn: () => api.get<Ticket>(`/api/tickets/${number}`) });
  const update = (next: Ticket) => {
    queryClient.setQueryData(key, next);
    void queryClient.invalidateQueries({ queryKey: ticketsKey });
  };
  if (ticket.isPending) return <Loader size="sm" />;
  if (ticket.isError) return <Alert color="red">{ticket.error.message}</Alert>;
  return (
    <TicketConversation
      ticket={ticket.data}
      reply={async (body, attachments) =>
        update(await api.post<Ticket>(`/api/tickets/${number}/replies`, { body, attachments }))
      }
      reopen={async () => update(await api.post<Ticket>(`/api/tickets/${number}/reopen`))}
      download={async (id, fileName) =>
        saveDownload(await fetch(`/api/tickets/${number}/attachments/${id}`), fileName)
      }
    />
  );
}
