import { Badge, Button, Code, Group, Loader, Modal, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api';
import { FormAlert } from '../FormAlert';
import { QueryError } from '../QueryError';
import { CreateApiKeyDialog } from './CreateApiKeyDialog';
import { type ApiKeyView, apiKeysKey, permissionsText, useApiKeys } from './credentials';

const when = (at: string | null, never = 'Never') => (at ? new Date(at).toLocaleString() : never);
const statusColor = { active: 'teal', expired: 'gray', revoked: 'red' } as const;

/**
 * Account > Settings > Credentials > API Keys: restricted keys of the account and its
 * subaccounts (Owner and Admin), each doing only what it names; create, and revoke at once.
 */
export function ApiKeysCard() {
  const keys = useApiKeys();
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<ApiKeyView | null>(null);
  return (
    <>
      <Group justify="space-between" mb="xs">
        <Title order={3} fz="h5" id="api-keys">
          API Keys
        </Title>
        <Button onClick={() => setCreating(true)} disabled={!keys.data}>
          Create API key
        </Button>
      </Group>
      <Text fz="sm" c="dimmed" mb="sm">
        A key does only what it is given (for example, send messages but never manage subaccounts), only from
        the addresses it names, until it expires. Use it as the Auth Token is used: HTTP Basic with the key id
        as the user name and the secret as the password (the Auth ID stays in the URL), or{' '}
        <Code>Authorization: Bearer &lt;key id&gt;.&lt;secret&gt;</Code>.
      </Text>
      {keys.isPending ? (
        <Loader size="sm" aria-label="Loading" />
      ) : keys.isError ? (
        <QueryError error={keys.error} />
      ) : keys.data.keys.length === 0 ? (
        <Text fz="sm">No API keys yet.</Text>
      ) : (
        <Table.ScrollContainer minWidth={760}>
          <Table verticalSpacing="xs" fz="sm" aria-label="API Keys">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Key id</Table.Th>
                <Table.Th>For</Table.Th>
                <Table.Th>Permissions</Table.Th>
                <Table.Th>Expires</Table.Th>
                <Table.Th>Last used</Table.Th>
                <Table.Th miw={96}>Status</Table.Th>
                <Table.Th aria-label="Actions" />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {keys.data.keys.map((key) => (
                <Table.Tr key={key.keyId}>
                  <Table.Td>{key.name}</Table.Td>
                  <Table.Td>
                    <Code style={{ whiteSpace: 'nowrap' }}>{key.keyId}</Code>
                  </Table.Td>
                  <Table.Td>{key.subaccount ? key.subaccount.name : 'Main account'}</Table.Td>
                  <Table.Td>
                    {permissionsText(key)}
                    {key.sourceCidrs.length > 0 && (
                      <Text fz="xs" c="dimmed">
                        From {key.sourceCidrs.join(', ')}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{when(key.expiresAt)}</Table.Td>
                  <Table.Td>{when(key.lastUsedAt)}</Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={statusColor[key.status]}>
                      {key.status}
                    </Badge>
                  </Table.Td>
                  <Table.Td ta="right">
                    {key.status !== 'revoked' && (
                      <Button
                        size="compact-sm"
                        variant="subtle"
                        color="red"
                        aria-label={`Revoke the API key ${key.name}`}
                        onClick={() => setRevoking(key)}
                      >
                        Revoke
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {keys.data && (
        <CreateApiKeyDialog
          opened={creating}
          onClose={() => setCreating(false)}
          resources={keys.data.resources}
        />
      )}
      <RevokeKeyDialog apiKey={revoking} onClose={() => setRevoking(null)} />
    </>
  );
}

function RevokeKeyDialog({ apiKey, onClose }: { apiKey: ApiKeyView | null; onClose: () => void }) {
  const queryClient = useQueryClient();
  const revoke = useMutation({
    mutationFn: (keyId: string) => api.delete(`/api/credentials/api-keys/${keyId}`),
    onSuccess: () => close(),
    onSettled: () => queryClient.invalidateQueries({ queryKey: apiKeysKey }),
  });
  const close = () => {
    revoke.reset();
    onClose();
  };
  return (
    <Modal opened={apiKey !== null} onClose={close} title="Revoke this API key?" centered>
      <Stack>
        <Text fz="sm">
          API requests with the key <Code>{apiKey?.keyId}</Code> ({apiKey?.name}) are refused from now on, on
          every server. Applications still using it stop working.
        </Text>
        <FormAlert error={revoke.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            Keep it
          </Button>
          <Button
            color="red"
            loading={revoke.isPending}
            onClick={() => apiKey && revoke.mutate(apiKey.keyId)}
          >
            Revoke
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
