import { PasswordInput, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import type { ConsoleEndpointChange, ConsoleEndpointCreate } from '../../../../src/modules/endpoints/schemas';
import { api, fieldError } from '../../api';
import { ApplicationSelect } from '../applications/ApplicationSelect';
import { DialogForm, FormDialog } from '../FormDialog';
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
    <FormDialog
      opened={opened}
      onClose={onClose}
      title={endpoint ? `Edit ${endpoint.alias}` : 'Create Endpoint'}
    >
      <EndpointForm endpoint={endpoint} onDone={onClose} />
    </FormDialog>
  );
}

function EndpointForm({ endpoint, onDone }: { endpoint?: Endpoint; onDone: () => void }) {
  const queryClient = useQueryClient();
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
  return (
    <DialogForm
      save={save}
      submitLabel={endpoint ? 'Save' : 'Create'}
      onCancel={onDone}
      errorFields={['password']}
    >
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
      <ApplicationSelect value={appId} onChange={setAppId} />
    </DialogForm>
  );
}
