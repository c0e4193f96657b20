import { Badge, Button, Code, Group, Modal, Stack, Table, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api';
import { FormAlert } from '../FormAlert';
import { useReauthentication } from '../Reauthentication';
import { type AuthTokenView, credentialsKey } from './credentials';

const when = (at: string | null) => (at ? new Date(at).toLocaleString() : 'Never');

/** The live Auth Tokens, newest first; Owner and Admin may revoke one while another stays live. */
export function TokensTable({ tokens, canRevoke }: { tokens: AuthTokenView[]; canRevoke: boolean }) {
  const [revoking, setRevoking] = useState<AuthTokenView | null>(null);
  return (
    <>
      <Table verticalSpacing="xs" fz="sm" aria-label="Live Auth Tokens">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Token</Table.Th>
            <Table.Th>Created</Table.Th>
            <Table.Th>Last used</Table.Th>
            {canRevoke && <Table.Th aria-label="Actions" />}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {tokens.map((token, index) => (
            <Table.Tr key={token.id}>
              <Table.Td>
                <Group gap="xs">
                  <Code>…{token.last4}</Code>
                  {index === 0 && (
                    <Badge size="xs" variant="light">
                      newest
                    </Badge>
                  )}
                </Group>
              </Table.Td>
              <Table.Td>{when(token.createdAt)}</Table.Td>
              <Table.Td>{when(token.lastUsedAt)}</Table.Td>
              {canRevoke && (
                <Table.Td ta="right">
                  <Button
                    size="compact-sm"
                    variant="subtle"
                    color="red"
                    aria-label={`Revoke the token ending in ${token.last4}`}
                    onClick={() => setRevoking(token)}
                  >
                    Revoke
                  </Button>
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <RevokeDialog token={revoking} onClose={() => setRevoking(null)} />
    </>
  );
}

function RevokeDialog({ token, onClose }: { token: AuthTokenView | null; onClose: () => void }) {
  const queryClient = useQueryClient();
  const reauthentication = useReauthentication();
  const revoke = useMutation({
    mutationFn: (tokenId: string) =>
      reauthentication.run(() => api.delete(`/api/credentials/tokens/${tokenId}`)),
    onSuccess: () => close(),
    onSettled: () => queryClient.invalidateQueries({ queryKey: credentialsKey }),
  });
  const close = () => {
    revoke.reset();
    onClose();
  };
  return (
    <>
      <Modal opened={token !== null} onClose={close} title="Revoke this Auth Token?" centered>
        <Stack>
          <Text fz="sm">
            API requests with the token ending in <Code>{token?.last4}</Code> are refused from now on.
            Applications still using it stop working.
          </Text>
          <FormAlert error={revoke.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Keep it
            </Button>
            <Button color="red" loading={revoke.isPending} onClick={() => token && revoke.mutate(token.id)}>
              Revoke
            </Button>
          </Group>
        </Stack>
      </Modal>
      {reauthentication.dialog}
    </>
  );
}
