import { Alert, Button, Card, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import type { EmailChangeRequested } from '@server/modules/identity/schemas';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, fieldError } from '../../api';
import { FormAlert } from '../FormAlert';
import { useReauthentication } from '../Reauthentication';

/** Change email: the new address must be a work email and takes effect once its link is followed. */
export function EmailCard({ email }: { email: string }) {
  const [newEmail, setNewEmail] = useState('');
  const reauthentication = useReauthentication();
  const change = useMutation({
    mutationFn: () =>
      reauthentication.run(() => api.post<EmailChangeRequested>('/api/profile/email', { email: newEmail })),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    change.mutate();
  };
  return (
    <Card withBorder padding="lg">
      <form onSubmit={submit} noValidate>
        <Stack>
          <Title order={3} fz="h5">
            Email
          </Title>
          <Text fz="sm">
            You sign in with <b>{email}</b>. To change it, enter the new work address: we send it a link, and
            the change happens when you open it.
          </Text>
          <TextInput
            label="New email"
            type="email"
            autoComplete="email"
            maw={420}
            value={newEmail}
            onChange={(event) => setNewEmail(event.currentTarget.value)}
            error={fieldError(change.error, 'email')}
          />
          {change.isSuccess && (
            <Alert color="teal" role="status">
              We sent a confirmation link to {change.data.pendingEmail}. Your email changes when you open it
              (within 24 hours).
            </Alert>
          )}
          <FormAlert error={change.error} fields={['email']} />
          <Group>
            <Button type="submit" loading={change.isPending} disabled={!newEmail.trim()}>
              Send confirmation link
            </Button>
          </Group>
        </Stack>
      </form>
      {reauthentication.dialog}
    </Card>
  );
}
