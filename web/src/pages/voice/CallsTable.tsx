import { Anchor, Code, Table } from '@mantine/core';
import { Link } from 'react-router';
import { Price } from '../../components/Price';
import { CallDuration } from './CallDuration';
import { CallStateBadge } from './CallStateBadge';
import type { ConsoleCall } from './calls';
import { HangUpButton } from './HangUpButton';

/** One page of calls, newest first; the time opens the call. Live calls offer "Hang up" to roles that may. */
export function CallsTable({ calls, hangUp }: { calls: ConsoleCall[]; hangUp: boolean }) {
  return (
    <Table.ScrollContainer minWidth={900}>
      <Table striped verticalSpacing="xs" fz="sm" aria-label="Calls">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Time</Table.Th>
            <Table.Th>Direction</Table.Th>
            <Table.Th>From</Table.Th>
            <Table.Th>To</Table.Th>
            <Table.Th>State</Table.Th>
            <Table.Th ta="right">Duration</Table.Th>
            <Table.Th ta="right">Amount</Table.Th>
            <Table.Th>Hangup cause</Table.Th>
            <Table.Th>Account</Table.Th>
            {hangUp && <Table.Th aria-label="Actions" />}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {calls.map((call) => (
            <Table.Tr key={call.uuid}>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                <Anchor
                  component={Link}
                  to={`/voice/calls/${call.uuid}`}
                  fz="sm"
                  aria-label={`Call to ${call.to} at ${new Date(call.initiatedAt).toLocaleString()}`}
                >
                  {new Date(call.initiatedAt).toLocaleString()}
                </Anchor>
              </Table.Td>
              <Table.Td>{call.direction === 'outbound' ? 'Outbound' : 'Inbound'}</Table.Td>
              <Table.Td ff="monospace" style={{ wordBreak: 'break-all' }}>
                {call.from}
              </Table.Td>
              <Table.Td ff="monospace" style={{ wordBreak: 'break-all' }}>
                {call.to}
              </Table.Td>
              <Table.Td>
                <CallStateBadge state={call.state} />
              </Table.Td>
              <Table.Td ta="right">
                <CallDuration call={call} />
              </Table.Td>
              <Table.Td ta="right">
                <Price amount={call.amount} />
              </Table.Td>
              <Table.Td>{call.hangupCause ?? '—'}</Table.Td>
              <Table.Td>{call.subaccount ? <Code fz="xs">{call.subaccount}</Code> : 'Main account'}</Table.Td>
              {hangUp && (
                <Table.Td>
                  <HangUpButton call={call} />
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
