import { Anchor, Code, Table } from '@mantine/core';
import { Link } from 'react-router';
import { Price } from '../../components/Price';
import { MessageStateBadge } from './MessageStateBadge';
import type { ConsoleMessage } from './messaging';

/** One page of messages, newest first; the time opens the message with its delivery timeline. */
export function MessagesTable({ messages }: { messages: ConsoleMessage[] }) {
  return (
    <Table.ScrollContainer minWidth={900}>
      <Table striped verticalSpacing="xs" fz="sm" aria-label="Messages">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Time</Table.Th>
            <Table.Th>Direction</Table.Th>
            <Table.Th>From</Table.Th>
            <Table.Th>To</Table.Th>
            <Table.Th>State</Table.Th>
            <Table.Th ta="right">Segments</Table.Th>
            <Table.Th ta="right">Amount</Table.Th>
            <Table.Th>Account</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {messages.map((message) => (
            <Table.Tr key={message.uuid}>
              <Table.Td>
                <Anchor
                  component={Link}
                  to={`/messaging/logs/${message.uuid}`}
                  fz="sm"
                  aria-label={`Message to ${message.to} at ${new Date(message.createdAt).toLocaleString()}`}
                >
                  {new Date(message.createdAt).toLocaleString()}
                </Anchor>
              </Table.Td>
              <Table.Td>{message.direction === 'outbound' ? 'Outbound' : 'Inbound'}</Table.Td>
              <Table.Td ff="monospace">{message.from}</Table.Td>
              <Table.Td ff="monospace">{message.to}</Table.Td>
              <Table.Td>
                <MessageStateBadge state={message.state} />
              </Table.Td>
              <Table.Td ta="right">{message.units}</Table.Td>
              <Table.Td ta="right">
                <Price amount={message.amount} />
              </Table.Td>
              <Table.Td>
                {message.subaccount ? <Code fz="xs">{message.subaccount}</Code> : 'Main account'}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
