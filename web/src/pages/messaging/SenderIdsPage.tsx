import {
  Button,
  Card,
  CloseButton,
  Code,
  Group,
  Loader,
  NativeSelect,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { fieldError } from '../../api';
import { FormAlert } from '../../components/FormAlert';
import { PageTitle } from '../../components/PageTitle';
import { QueryError } from '../../components/QueryError';
import { RoleGate } from '../../components/RoleGate';
import { useSubaccounts } from '../../components/subaccounts/subaccounts';
import { useSenderIds } from './messaging';

/**
 * Messaging > Sender IDs: what the main account and each subaccount may send from besides its
 * numbers. A subaccount sends only from its own sender IDs, never from its sibling's.
 */
export function SenderIdsPage() {
  return (
    <Stack maw={1000} gap="lg">
      <PageTitle section="Messaging" title="Sender IDs" />
      <RoleGate capability="manageSenderIds" activity="manage sender IDs">
        <SenderIds />
      </RoleGate>
    </Stack>
  );
}

function SenderIds() {
  const { list, add, remove } = useSenderIds();
  const subaccounts = useSubaccounts();
  const [senderId, setSenderId] = useState('');
  const [owner, setOwner] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate({ senderId, ...(owner ? { subaccount: owner } : {}) }, { onSuccess: () => setSenderId('') });
  };

  return (
    <Card withBorder padding="lg">
      <Stack>
        <Text fz="sm" c="dimmed">
          A sender ID is an alphanumeric name of 3 to 11 letters, digits or spaces (with at least one letter),
          or a phone number with its country code. Messages may use it as their sender (src) when it is
          whitelisted for the account that sends them.
        </Text>
        <form onSubmit={submit} aria-label="Whitelist a sender ID">
          <Group align="flex-start">
            <TextInput
              label="Sender ID"
              placeholder="ACME or +14155550123"
              value={senderId}
              onChange={(event) => setSenderId(event.currentTarget.value)}
              error={fieldError(add.error, 'senderId')}
            />
            <NativeSelect
              label="For"
              w={260}
              value={owner}
              onChange={(event) => setOwner(event.currentTarget.value)}
              data={[
                { value: '', label: 'Main account' },
                ...(subaccounts.data?.subaccounts ?? []).map((subaccount) => ({
                  value: subaccount.authId,
                  label: `${subaccount.name} (${subaccount.authId})`,
                })),
              ]}
            />
            <Button type="submit" mt={25} loading={add.isPending} disabled={!senderId.trim()}>
              Whitelist
            </Button>
          </Group>
        </form>
        <FormAlert error={add.error} fields={['senderId']} />
        <FormAlert error={remove.error} />
        {list.isPending && <Loader size="sm" aria-label="Loading" />}
        {list.isError && <QueryError error={list.error} />}
        {list.data && list.data.senderIds.length === 0 && (
          <Text fz="sm" c="dimmed">
            No sender IDs yet.
          </Text>
        )}
        {list.data && list.data.senderIds.length > 0 && (
          <Table striped verticalSpacing="xs" fz="sm" aria-label="Sender IDs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Sender ID</Table.Th>
                <Table.Th>Kind</Table.Th>
                <Table.Th>Account</Table.Th>
                <Table.Th>Added</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.senderIds.map((row) => (
                <Table.Tr key={row.id}>
                  <Table.Td ff="monospace">{row.senderId}</Table.Td>
                  <Table.Td>{row.kind === 'number' ? 'Phone number' : 'Alphanumeric'}</Table.Td>
                  <Table.Td>
                    {row.subaccount ? (
                      <>
                        {row.subaccount.name} <Code fz="xs">{row.subaccount.authId}</Code>
                      </>
                    ) : (
                      'Main account'
                    )}
                  </Table.Td>
                  <Table.Td>{new Date(row.createdAt).toLocaleString()}</Table.Td>
                  <Table.Td w={40}>
                    <CloseButton
                      aria-label={`Remove ${row.senderId} (${row.subaccount?.name ?? 'Main account'})`}
                      onClick={() => remove.mutate(row.id)}
                    />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Card>
  );
}
