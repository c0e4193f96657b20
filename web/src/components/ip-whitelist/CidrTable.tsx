import { Button, Code, Table, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api';
import { FormAlert } from '../FormAlert';
import { useReauthentication } from '../Reauthentication';
import { type CidrEntry, ipWhitelistKey } from './whitelist';

/** The CIDR addresses allowed to call the API, each with Delete. */
export function CidrTable({ entries }: { entries: CidrEntry[] }) {
  const queryClient = useQueryClient();
  const reauthentication = useReauthentication();
  const remove = useMutation({
    mutationFn: (entryId: string) => reauthentication.run(() => api.delete(`/api/ip-whitelist/${entryId}`)),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ipWhitelistKey }),
  });
  if (entries.length === 0) {
    return (
      <Text fz="sm" c="dimmed">
        No addresses yet. Add the addresses your servers call the API from.
      </Text>
    );
  }
  return (
    <>
      <Table verticalSpacing="xs" fz="sm" aria-label="Whitelisted addresses">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>CIDR address</Table.Th>
            <Table.Th>Added</Table.Th>
            <Table.Th aria-label="Actions" />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {entries.map((entry) => (
            <Table.Tr key={entry.id}>
              <Table.Td>
                <Code>{entry.cidr}</Code>
              </Table.Td>
              <Table.Td>{new Date(entry.createdAt).toLocaleString()}</Table.Td>
              <Table.Td ta="right">
                <Button
                  size="compact-sm"
                  variant="subtle"
                  color="red"
                  aria-label={`Delete ${entry.cidr}`}
                  loading={remove.isPending && remove.variables === entry.id}
                  onClick={() => remove.mutate(entry.id)}
                >
                  Delete
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <FormAlert error={remove.error} />
      {reauthentication.dialog}
    </>
  );
}
