import { Button, Group, Modal, NativeSelect, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import type { ConsoleEndpointChange, ConsoleEndpointCreate } from '../../../../src/modules/endpoints/schemas';
import { api, fieldError } from '../../api';
import { useApplications } from '../applications/applications';
import { FormAlert } from '../FormAlert';
import { type Endpoint, endpointPath, endpointsKey } from './endpoints';

/** Create a SIP endpoint, or edit one (alias, application, a new password) when `endpoint` is given. */
export function EndpointDialog({
  opened,
  endpoint,
  onClose,
}: {
  opened: boolean;
  endpoint?: Endpoint;
  onClose: () => void;
}) {
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={endpoint ? `Edit ${endpoint.alias}` : 'Create Endpoint'}
      centered
    >
      {opened && <EndpointForm endpoint={endpoint} onDone={onClose} />}
    </Modal>
  );
}

function EndpointForm({ endpoint, onDone }: { endpoint?: Endpoint; onDone: () => void }) {
  const queryClient = useQueryClient();
  const applications = useApplications();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [alias, setAlias] = useState(endpoint?.alias ?? '');
  const [appId, setAppId] = useState(endpoint?.appId ?? '');
  const save = useMutation({
    mutationFn: () =>
      endpoint
        ? api.patch(endpointPath(endpoint.endpointId), {
            alias,
            appId: appId || null,
            ...(password ? { password } : {}),
          } satisfies ConsoleEndpointChange)
        : api.post('/api/endpoints', {
            username,
            password,
            alias,
            ...(appId ? { appId } : {}),
          } satisfies ConsoleEndpointCreate),
    onSuccess: () => onDone(),
    onSettled: () => queryClient.invalidateQueries({ queryKey: endpointsKey }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        {endpoint ? (
          <TextInput label="Username" value={endpoint.username} readOnly />
        ) : (
          <TextInput
            label="Username"
            description="Letters, digits, “.”, “_” or “-”; Switchboard adds a unique suffix."
            required
            data-autofocus
            maxLength={40}
            value={username}
            onChange={(event) => setUsername(event.currentTarget.value)}
          />
        )}
        <PasswordInput
          label={endpoint ? 'New password' : 'Password'}
          description={endpoint ? 'Leave empty to keep the current password.' : undefined}
          required={!endpoint}
          autoComplete="new-password"
          value={password}
          onChange={(event) => setPassword(event.currentTarget.value)}
          error={fieldError(save.error, 'password')}
        />
        <TextInput
          label="Alias"
          required
          maxLength={200}
          value={alias}
          onChange={(event) => setAlias(event.currentTarget.value)}
        />
        <NativeSelect
          label="Application"
          value={appId}
          onChange={(event) => setAppId(event.currentTarget.value)}
          data={[
            { value: '', label: 'None' },
            ...(applications.data?.applications ?? []).map((application) => ({
              value: application.app_id,
              label: application.app_name,
            })),
          ]}
          error={applications.isError ? applications.error.message : undefined}
        />
        <FormAlert error={save.error} fields={['password']} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending}>
            {endpoint ? 'Save' : 'Create'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
