import { Alert, Anchor, Button, Stack, TextInput } from '@mantine/core';
import type { Notice } from '@server/modules/identity/schemas';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { api, fieldError } from '../api';
import { AuthLayout } from '../components/AuthLayout';
import { FormAlert } from '../components/FormAlert';

/** Forgot Password: a reset link by email; the answer never says whether the email is known. */
export function ForgotPasswordPage() {
  const [email, setEmail] = useState('');
  const request = useMutation({
    mutationFn: () => api.post<Notice>('/api/password-reset', { email }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    request.mutate();
  };
  const footer = (
    <Anchor component={Link} to="/signin">
      Back to sign in
    </Anchor>
  );
  if (request.isSuccess) {
    return (
      <AuthLayout title="Check your email" footer={footer}>
        <Alert color="teal" role="status">
          {request.data.message}
        </Alert>
      </AuthLayout>
    );
  }
  return (
    <AuthLayout
      title="Reset your password"
      description="Enter the email you sign in with. We will send you a link to choose a new password."
      footer={footer}
    >
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput
            label="Work email"
            type="email"
            autoComplete="email"
            required
            value={email}
            onChange={(event) => setEmail(event.currentTarget.value)}
            error={fieldError(request.error, 'email')}
          />
          <FormAlert error={request.error} fields={['email']} />
          <Button type="submit" loading={request.isPending} fullWidth>
            Send reset link
          </Button>
        </Stack>
      </form>
    </AuthLayout>
  );
}
