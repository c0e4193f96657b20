import { Badge, Code, Table, Text } from '@mantine/core';
import type { AuditEventView } from './audit';

const actorColor: Record<AuditEventView['actorKind'], string> = {
  member: 'blue',
  api: 'grape',
  operator_staff: 'orange',
  system: 'gray',
};

/** What changed, in one line: the event's details as recorded. */
const detailsText = (details: Record<string, unknown>) =>
  Object.entries(details)
    .filter(([name]) => name !== 'reason')
    .map(([name, value]) => `${name}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' · ');

/** One page of audit events, newest first: when, who (staff as "operator staff"), what, why, from where. */
export function AuditEventsTable({ events }: { events: AuditEventView[] }) {
  return (
    <Table.ScrollContainer minWidth={900}>
      <Table striped verticalSpacing="xs" fz="sm" aria-label="Audit events">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Time</Table.Th>
            <Table.Th>Actor</Table.Th>
            <Table.Th>Action</Table.Th>
            <Table.Th>Account</Table.Th>
            <Table.Th>Reason</Table.Th>
            <Table.Th>Details</Table.Th>
            <Table.Th>Source IP</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {events.map((event) => (
            <Table.Tr key={event.id}>
              <Table.Td>{new Date(event.at).toLocaleString()}</Table.Td>
              <Table.Td>
                <Badge color={actorColor[event.actorKind]} variant="light" tt="none">
                  {event.actor}
                </Badge>
              </Table.Td>
              <Table.Td>
                <Code fz="xs">{event.action}</Code>
              </Table.Td>
              <Table.Td>
                <Code fz="xs">{event.account}</Code>
              </Table.Td>
              <Table.Td>{event.reason ?? ''}</Table.Td>
              <Table.Td>
                <Text fz="xs" c="dimmed" style={{ wordBreak: 'break-word' }}>
                  {detailsText(event.details)}
                </Text>
              </Table.Td>
              <Table.Td>{event.ip ?? ''}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
