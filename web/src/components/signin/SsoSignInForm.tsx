import { Anchor, Button, Stack, Text, TextInput } from '@mantine/core';
import type { SsoRedirect, StartSsoSignIn } from '@server/modules/sso/schemas';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, fieldError } from '../../api';
import { FormAlert } from '../FormAlert';

/** Sign in with SSO: a work email or the account's Auth ID finds the identity provider to go to. */
export function SsoSignInForm({ onUsePassword }: { onUsePassword: () => void }) {
  const [identifier, setIdentifier] = useState('');
  const start = useMutation({
    mutationFn: () => {
      const value = identifier.trim();
      const body: StartSsoSignIn = value.includes('@') ? { email: value } : { authId: value };
      return api.post<SsoRedirect>('/api/sso/start', body);
    },
    onSuccess: ({ redirectUrl }) => window.location.assign(redirectUrl),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    start.mutate();
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Text fz="sm">Sign in through your organization's identity provider.</Text>
        <TextInput
          label="Work email or Auth ID"
          autoComplete="username"
          required
          data-autofocus
          value={identifier}
          onChange={(event) => setIdentifier(event.currentTarget.value)}
          error={fieldError(start.error, 'email') ?? fieldError(start.error, 'authId')}
        />
        <FormAlert error={start.error} fields={['email', 'authId']} />
        <Button type="submit" loading={start.isPending || start.isSuccess} fullWidth>
          Continue with SSO
        </Button>
        <Anchor component="button" type="button" fz="sm" onClick={onUsePassword}>
          Sign in with a password
        </Anchor>
      </Stack>
    </form>
  );
}
