import { Button, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, fieldError } from '../../api';
import { reloadSession } from '../../session';
import { FormAlert } from '../FormAlert';
import { NewPasswordField } from '../NewPasswordField';

/** Sign in, last step after "Secure my account": a new password before anything else. */
export function NewPasswordForm({ name, email }: { name: string; email: string }) {
  const queryClient = useQueryClient();
  const [password, setPassword] = useState('');
  const change = useMutation({
    mutationFn: (value: string) => api.post('/api/session/new-password', { password: value }),
    onSuccess: () => reloadSession(queryClient),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    change.mutate(password);
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Text fz="sm">
          This account was secured by its Owner or an Admin. Choose a new password for <b>{email}</b>,
          different from your previous one, to finish signing in.
        </Text>
        <NewPasswordField
          label="New password"
          value={password}
          onChange={setPassword}
          refusal={fieldError(change.error, 'password')}
          refusedValue={change.variables}
          name={name}
          email={email}
        />
        <FormAlert error={change.error} fields={['password']} />
        <Button type="submit" loading={change.isPending} fullWidth>
          Set new password and continue
        </Button>
      </Stack>
    </form>
  );
}
