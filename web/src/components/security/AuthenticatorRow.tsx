import { Badge, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api';
import { FormAlert } from '../FormAlert';
import { useReauthentication } from '../Reauthentication';
import { AddAuthenticatorDialog } from './AddAuthenticatorDialog';
import { FactorRow } from './FactorRow';
import { type SecurityOverview, securityKey } from './overview';

/** Authenticator App: add one (phone code, QR code, app code) or remove it. */
export function AuthenticatorRow({ overview }: { overview: SecurityOverview }) {
  const queryClient = useQueryClient();
  const reauthentication = useReauthentication();
  const [adding, setAdding] = useState(false);
  const [confirmingRemoval, setConfirmingRemoval] = useState(false);
  const remove = useMutation({
    mutationFn: () => reauthentication.run(() => api.delete('/api/security/authenticator')),
    onSuccess: () => setConfirmingRemoval(false),
    onSettled: () => queryClient.invalidateQueries({ queryKey: securityKey }),
  });
  const app = overview.authenticatorApp;

  return (
    <Stack gap={0}>
      <FactorRow
        title="Authenticator App"
        status={
          <Badge color={app.enabled ? 'teal' : 'gray'} variant="light">
            {app.enabled ? 'On' : 'Off'}
          </Badge>
        }
        description={
          app.enabled && app.enabledAt
            ? `Added on ${new Date(app.enabledAt).toLocaleDateString()}. Codes from an app such as Google Authenticator or 1Password.`
            : 'Codes from an app such as Google Authenticator or 1Password, even without phone signal.'
        }
        actions={
          app.enabled ? (
            <Button variant="light" color="red" onClick={() => setConfirmingRemoval(true)}>
              Remove
            </Button>
          ) : (
            <Button onClick={() => setAdding(true)} disabled={!overview.phone.verified}>
              Add
            </Button>
          )
        }
      />
      <AddAuthenticatorDialog
        phoneNumber={overview.phone.number}
        opened={adding}
        onClose={() => setAdding(false)}
      />
      <Modal
        opened={confirmingRemoval}
        onClose={() => setConfirmingRemoval(false)}
        title="Remove the authenticator app?"
        centered
      >
        <Stack>
          <Text fz="sm">
            You will sign in with codes sent to your phone. You can add an app again at any time.
          </Text>
          <FormAlert error={remove.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirmingRemoval(false)}>
              Keep it
            </Button>
            <Button color="red" onClick={() => remove.mutate()} loading={remove.isPending}>
              Remove
            </Button>
          </Group>
        </Stack>
      </Modal>
      {reauthentication.dialog}
    </Stack>
  );
}
