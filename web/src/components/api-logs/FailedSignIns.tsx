import { Badge, Card, Code, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { QueryError } from '../QueryError';
import { useFailedSignIns } from './logs';

/**
 * Failed sign-ins to the API: requests whose Auth Token was wrong for an Auth ID of the account or its
 * subaccounts, per address and hour, over the last 30 days.
 */
export function FailedSignIns() {
  const failed = useFailedSignIns();
  return (
    <Card withBorder padding="lg">
      <Stack>
        <Title order={3} fz="h5">
          Failed sign-ins to the API
        </Title>
        <Text c="dimmed" fz="sm">
          Requests to the API with a wrong Auth Token for your Auth IDs, in the last 30 days. Addresses you do
          not recognise may be someone trying your credentials: regenerate the Auth Token and consider IP
          whitelisting.
        </Text>
        {failed.isPending && <Loader size="sm" aria-label="Loading" />}
        {failed.isError && <QueryError error={failed.error} />}
        {failed.data && failed.data.failures.length === 0 && (
          <Text c="dimmed" fz="sm">
            No failed sign-ins to the API in the last 30 days.
          </Text>
        )}
        {failed.data && failed.data.failures.length > 0 && (
          <Table.ScrollContainer minWidth={700}>
            <Table striped verticalSpacing="xs" fz="sm" aria-label="Failed sign-ins to the API">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Auth ID</Table.Th>
                  <Table.Th>IP address</Table.Th>
                  <Table.Th>Attempts</Table.Th>
                  <Table.Th>First</Table.Th>
                  <Table.Th>Last</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {failed.data.failures.map((failure) => (
                  <Table.Tr key={`${failure.authId} ${failure.ip} ${failure.firstAt}`}>
                    <Table.Td>
                      <Code fz="xs">{failure.authId}</Code>{' '}
                      {failure.subaccount && (
                        <Badge size="xs" variant="light">
                          subaccount
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td>{failure.ip}</Table.Td>
                    <Table.Td>{failure.count}</Table.Td>
                    <Table.Td>{new Date(failure.firstAt).toLocaleString()}</Table.Td>
                    <Table.Td>{new Date(failure.lastAt).toLocaleString()}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
    </Card>
  );
}
