import { Badge, Code, Table, Text } from '@mantine/core';
import type { ApiRequest } from './logs';

const statusColor = (status: number) =>
  status >= 500 ? 'red' : status >= 400 ? 'orange' : status >= 300 ? 'blue' : 'teal';

/** One page of API requests, newest first, each with whose credentials made it (the main account or a subaccount). */
export function RequestsTable({ requests }: { requests: ApiRequest[] }) {
  return (
    <Table.ScrollContainer minWidth={800}>
      <Table striped verticalSpacing="xs" fz="sm" aria-label="API requests">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Time</Table.Th>
            <Table.Th>Method</Table.Th>
            <Table.Th>Path</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Duration</Table.Th>
            <Table.Th>IP address</Table.Th>
            <Table.Th>Credentials</Table.Th>
            <Table.Th>API ID</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {requests.map((request) => (
            <Table.Tr key={request.apiId}>
              <Table.Td>{new Date(request.at).toLocaleString()}</Table.Td>
              <Table.Td>{request.method}</Table.Td>
              <Table.Td>
                <Text fz="sm" ff="monospace" style={{ wordBreak: 'break-all' }}>
                  {request.path}
                </Text>
              </Table.Td>
              <Table.Td>
                <Badge color={statusColor(request.status)} variant="light">
                  {request.status}
                </Badge>
              </Table.Td>
              <Table.Td>{request.durationMs} ms</Table.Td>
              <Table.Td>{request.ip}</Table.Td>
              <Table.Td>
                {request.subaccount ? <Code fz="xs">{request.subaccount}</Code> : 'Main account'}
              </Table.Td>
              <Table.Td>
                <Code fz="xs">{request.apiId}</Code>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
