import { Alert, Badge, Card, Loader, Table, Text, Title } from '@mantine/core';
import type { SignIns } from '@server/modules/identity/schemas';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api';
import { signInMethodLabels } from '../FactorChallenge';

/** Your recent sign-ins: when, from where, with which browser and second factor. */
export function SignInsCard() {
  const signIns = useQuery({
    queryKey: ['security', 'sign-ins'],
    queryFn: () => api.get<SignIns>('/api/security/sign-ins'),
  });
  return (
    <Card withBorder padding="lg">
      <Title order={3} fz="h5" mb="sm">
        Recent sign-ins
      </Title>
      {signIns.isPending && <Loader size="sm" />}
      {signIns.isError && <Alert color="red">{signIns.error.message}</Alert>}
      {signIns.data && signIns.data.signIns.length === 0 && (
        <Text fz="sm" c="dimmed">
          No sign-ins yet.
        </Text>
      )}
      {signIns.data && signIns.data.signIns.length > 0 && (
        <Table striped verticalSpacing="xs" fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>When</Table.Th>
              <Table.Th>IP address</Table.Th>
              <Table.Th>Browser</Table.Th>
              <Table.Th>Verified with</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {signIns.data.signIns.map((signIn) => (
              <Table.Tr key={`${signIn.at}-${signIn.ip}`}>
                <Table.Td>{new Date(signIn.at).toLocaleString()}</Table.Td>
                <Table.Td>{signIn.ip ?? '—'}</Table.Td>
                <Table.Td>
                  {signIn.details?.browser ?? signIn.userAgent ?? 'unknown browser'}{' '}
                  {signIn.details?.newDevice && (
                    <Badge size="xs" variant="light">
                      new device
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>
                  {signIn.details?.method
                    ? signInMethodLabels[signIn.details.method]
                    : 'Password (onboarding not finished)'}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  );
}
