import { Card, Stack, Table, Text, Title } from '@mantine/core';
import { CloseAccountCard } from '../components/account/CloseAccountCard';
import { PageTitle } from '../components/PageTitle';
import { useSession } from '../session';

/**
 * Account > Service Address: the business the account serves from, as given at activation, and
 * Close Account (the Owner).
 */
export function ServiceAddressPage() {
  const session = useSession();
  const account = session.data?.account ?? null;
  const profile = account?.businessProfile;
  return (
    <Stack maw={900} gap="lg">
      <PageTitle section="Account" title="Service Address" />
      <Card withBorder padding="lg">
        <Title order={3} fz="h5">
          Service address
        </Title>
        <Text fz="sm" c="dimmed" mb="sm">
          The business this account serves, as given when it was activated. To change it, open a ticket at
          Support.
        </Text>
        <Table variant="vertical" withTableBorder>
          <Table.Tbody>
            <Table.Tr>
              <Table.Th w={200}>Account</Table.Th>
              <Table.Td>{account?.name ?? '—'}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>Company</Table.Th>
              <Table.Td>{profile?.companyName ?? '—'}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>Country</Table.Th>
              <Table.Td>{profile?.country ?? '—'}</Table.Td>
            </Table.Tr>
          </Table.Tbody>
        </Table>
      </Card>
      <CloseAccountCard />
    </Stack>
  );
}
