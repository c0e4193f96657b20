import { Alert, Button, Card, Group, PasswordInput, Stack, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, fieldError } from '../../api';
import { FormAlert } from '../FormAlert';
import { NewPasswordField } from '../NewPasswordField';

/** Change password with the current one; every other session ends. */
export function PasswordCard({ name, email }: { name: string; email: string }) {
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const change = useMutation({
    mutationFn: (input: { currentPassword: string; newPassword: string }) =>
      api.post('/api/profile/password', input),
    onSuccess: () => {
      setCurrentPassword('');
      setNewPassword('');
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    change.mutate({ currentPassword, newPassword });
  };
  return (
    <Card withBorder padding="lg">
      <form onSubmit={submit} noValidate>
        <Stack maw={420}>
          <Title order={3} fz="h5">
            Password
          </Title>
          <PasswordInput
            label="Current password"
            autoComplete="current-password"
            required
            value={currentPassword}
            onChange={(event) => setCurrentPassword(event.currentTarget.value)}
            error={fieldError(change.error, 'currentPassword')}
          />
          <NewPasswordField
            label="New password"
            value={newPassword}
            onChange={setNewPassword}
            refusal={fieldError(change.error, 'newPassword')}
            refusedValue={change.variables?.newPassword}
            name={name}
            email={email}
          />
          {change.isSuccess && (
            <Alert color="teal" role="status">
              Your password was changed. Your other sessions were signed out.
            </Alert>
          )}
          <FormAlert error={change.error} fields={['currentPassword', 'newPassword']} />
          <Group>
            <Button type="submit" loading={change.isPending}>
              Change password
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
