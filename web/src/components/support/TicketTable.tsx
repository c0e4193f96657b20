import { Anchor, Badge, Table } from '@mantine/core';
import type { ReactNode } from 'react';
import { label, statusLabels } from './tickets';

/** What every ticket list shows of a ticket. */
interface ListedTicket {
  number: string;
  subject: string;
  status: string;
  priority: string;
}

/** A column a list adds after Ticket, Subject, Status and Priority. */
export interface TicketColumn<T> {
  header: string;
  cell: (ticket: T) => ReactNode;
}

/**
 * Tickets in a table: number (opens the ticket), subject, status, priority, then the list's own
 * columns (the members' Updated; the staff queue's Account, Assignee and SLA).
 */
export function TicketTable<T extends ListedTicket>({
  label: tableLabel,
  tickets,
  columns,
  onOpen,
}: {
  label: string;
  tickets: T[];
  columns: TicketColumn<T>[];
  onOpen: (number: string) => void;
}) {
  return (
    <Table striped fz="sm" aria-label={tableLabel}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Ticket</Table.Th>
          <Table.Th>Subject</Table.Th>
          <Table.Th>Status</Table.Th>
          <Table.Th>Priority</Table.Th>
          {columns.map((column) => (
            <Table.Th key={column.header}>{column.header}</Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {tickets.map((ticket) => (
          <Table.Tr key={ticket.number}>
            <Table.Td>
              <Anchor component="button" onClick={() => onOpen(ticket.number)}>
                {ticket.number}
              </Anchor>
            </Table.Td>
            <Table.Td>{ticket.subject}</Table.Td>
            <Table.Td>
              <Badge variant="light">{statusLabels[ticket.status] ?? ticket.status}</Badge>
            </Table.Td>
            <Table.Td>{label(ticket.priority)}</Table.Td>
            {columns.map((column) => (
              <Table.Td key={column.header}>{column.cell(ticket)}</Table.Td>
            ))}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
