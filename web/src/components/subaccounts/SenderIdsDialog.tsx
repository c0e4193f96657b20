import { Button, CloseButton, Group, Loader, Modal, Stack, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import type { SenderIds } from '../../../../src/modules/subaccounts/schemas';
import { api, formError } from '../../api';
import { QueryError } from '../QueryError';
import { type Subaccount, subaccountPath } from './subaccounts';

/** A subaccount's whitelisted sender IDs: alphanumeric (3 to 11 characters) or phone numbers. */
export function SenderIdsDialog({
  subaccount,
  onClose,
}: {
  subaccount: Subaccount | undefined;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const path = `${subaccountPath(subaccount?.authId ?? '')}/sender-ids`;
  const key = ['sender-ids', subaccount?.authId];
  const [value, setValue] = useState('');
  const list = useQuery({
    queryKey: key,
    queryFn: () => api.get<SenderIds>(path),
    enabled: Boolean(subaccount),
  });
  const add = useMutation({
    mutationFn: () => api.post(path, { senderId: value }),
    onSuccess: async () => {
      setValue('');
      await queryClient.invalidateQueries({ queryKey: key });
    },
  });
  const remove = useMutation({
    mutationFn: (id: string) => api.delete(`${path}/${id}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: key }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate();
  };

  return (
    <Modal
      opened={Boolean(subaccount)}
      onClose={onClose}
      title={`Sender IDs of ${subaccount?.name ?? ''}`}
      size="lg"
    >
      <Stack>
        <Text size="sm" c="dimmed">
          Messages from this subaccount may use only these sender IDs: an alphanumeric ID of 3 to 11 letters,
          digits or spaces (with at least one letter), or a phone number with its country code.
        </Text>
        {list.isPending && <Loader size="sm" />}
        {list.isError && <QueryError error={list.error} />}
        {list.data && list.data.senderIds.length === 0 && <Text size="sm">No sender IDs yet.</Text>}
        {list.data && list.data.senderIds.length > 0 && (
          <Table aria-label="Sender IDs" fz="sm">
            <Table.Tbody>
              {list.data.senderIds.map((row) => (
                <Table.Tr key={row.id}>
                  <Table.Td ff="monospace">{row.senderId}</Table.Td>
                  <Table.Td>{row.kind === 'number' ? 'Phone number' : 'Alphanumeric'}</Table.Td>
                  <Table.Td w={40}>
                    <CloseButton
                      aria-label={`Remove ${row.senderId}`}
                      onClick={() => remove.mutate(row.id)}
                    />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        <form onSubmit={submit}>
          <Group align="flex-start">
            <TextInput
              label="Sender ID"
              placeholder="ACME or +14155550123"
              value={value}
              onChange={(event) => setValue(event.currentTarget.value)}
              error={formError(add.error)}
              style={{ flex: 1 }}
            />
            <Button type="submit" mt={25} loading={add.isPending} disabled={!value.trim()}>
              Add
            </Button>
          </Group>
        </form>
      </Stack>
    </Modal>
  );
}
