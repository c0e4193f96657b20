import { Alert, Button, Group, Modal, Stack, Switch } from '@mantine/core';
import type { SetEnabled } from '@server/modules/ip-whitelist/schemas';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, api } from '../../api';
import { FormAlert } from '../FormAlert';
import { useReauthentication } from '../Reauthentication';
import { ipWhitelistKey } from './whitelist';

/**
 * The switch that enforces the list. When the list leaves out the address in use now, the server
 * refuses with its reason; confirming that in a dialog sends the change again with confirmLockout.
 */
export function EnableSwitch({ enabled }: { enabled: boolean }) {
  const queryClient = useQueryClient();
  const reauthentication = useReauthentication();
  const [lockoutWarning, setLockoutWarning] = useState<string | null>(null);
  const change = useMutation({
    mutationFn: (body: SetEnabled) => reauthentication.run(() => api.put('/api/ip-whitelist/enabled', body)),
    onSuccess: () => setLockoutWarning(null),
    onError: (error) => {
      if (error instanceof ApiError && error.code === 'would_lock_out_current_address') {
        setLockoutWarning(error.detail);
      }
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: ipWhitelistKey }),
  });
  const cancel = () => {
    setLockoutWarning(null);
    change.reset();
  };

  return (
    <Stack gap="xs">
      <Switch
        size="md"
        label="Enforce IP whitelisting"
        description="When on, API requests from addresses outside the list are refused."
        checked={enabled}
        disabled={change.isPending}
        onChange={(event) => change.mutate({ enabled: event.currentTarget.checked })}
      />
      {!lockoutWarning && <FormAlert error={change.error} />}
      <Modal opened={lockoutWarning !== null} onClose={cancel} title="Enable IP whitelisting?" centered>
        <Stack>
          <Alert color="yellow" role="alert">
            {lockoutWarning}
          </Alert>
          <Group justify="flex-end">
            <Button variant="default" onClick={cancel}>
              Cancel
            </Button>
            <Button
              color="red"
              loading={change.isPending}
              onClick={() => change.mutate({ enabled: true, confirmLockout: true })}
            >
              Enable anyway
            </Button>
          </Group>
        </Stack>
      </Modal>
      {reauthentication.dialog}
    </Stack>
  );
}
