import { Alert, Anchor, Button, Group, Loader, Stack, Text } from '@mantine/core';
import type { Notice } from '@server/modules/identity/schemas';
import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, fieldError } from '../api';
import { AuthLayout } from '../components/AuthLayout';
import { FormAlert } from '../components/FormAlert';
import { NewPasswordField } from '../components/NewPasswordField';

/** A reset link from the email: check it, then set a new password; the person signs in afterwards. */
export function ResetPasswordPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [password, setPassword] = useState('');
  const link = useQuery({
    queryKey: ['password-reset', token],
    queryFn: () => api.get<{ usable: boolean }>(`/api/password-reset/${encodeURIComponent(token)}`),
    enabled: token.length > 0,
    retry: false,
    refetchOnWindowFocus: false,
  });
  const reset = useMutation({
    mutationFn: (newPassword: string) =>
      api.post<Notice>('/api/password-reset/complete', { token, password: newPassword }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    reset.mutate(password);
  };

  if (reset.isSuccess) {
    return (
      <AuthLayout title="Password changed">
        <Alert color="teal" role="status">
          {reset.data.message}
        </Alert>
        <Button component={Link} to="/signin">
          Sign in
        </Button>
      </AuthLayout>
    );
  }
  if (!token || link.isError) {
    return (
      <AuthLayout title="This link did not work">
        <Alert color="red" role="alert">
          {link.error?.message ??
            'This link is not complete. Open the whole link from the email we sent you.'}
        </Alert>
        <Text fz="sm">Reset links work once, for one hour.</Text>
        <Group>
          <Button component={Link} to="/forgot-password">
            Send a new link
          </Button>
          <Button component={Link} to="/signin" variant="default">
            Sign in
          </Button>
        </Group>
      </AuthLayout>
    );
  }
  if (link.isPending) {
    return (
      <AuthLayout title="Choose a new password">
        <Group>
          <Loader size="sm" />
          <Text>Checking your link…</Text>
        </Group>
      </AuthLayout>
    );
  }
  return (
    <AuthLayout
      title="Choose a new password"
      description="Every session is signed out when the password changes."
      footer={
        <Anchor component={Link} to="/signin">
          Back to sign in
        </Anchor>
      }
    >
      <form onSubmit={submit} noValidate>
        <Stack>
          <NewPasswordField
            label="New password"
            value={password}
            onChange={setPassword}
            refusal={fieldError(reset.error, 'password')}
            refusedValue={reset.variables}
          />
          <FormAlert error={reset.error} fields={['password']} />
          <Button type="submit" loading={reset.isPending} fullWidth>
            Set new password
          </Button>
        </Stack>
      </form>
    </AuthLayout>
  );
}
