import { Anchor, Button, Divider, PasswordInput, Stack, TextInput } from '@mantine/core';
import type {
  StaffCode,
  StaffPasswordAccepted,
  StaffPasswordSignIn,
  StaffSignedIn,
} from '@server/modules/staff/schemas';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, fieldError, rememberCsrfToken } from '../../api';
import { signWithPasskey } from '../../passkeys';
import { staffSessionKey } from '../../staff-session';
import { CodeInput } from '../CodeInput';
import { FormAlert } from '../FormAlert';

/** Staff sign-in, step 1: email and password. */
export function StaffPasswordForm({ onSignedIn }: { onSignedIn: () => void }) {
  const queryClient = useQueryClient();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const signIn = useMutation({
    mutationFn: () =>
      api.post<StaffPasswordAccepted>('/api/staff/session', {
        email,
        password,
      } satisfies StaffPasswordSignIn),
    onSuccess: async ({ csrfToken }) => {
      // The second step's session cannot be read back, so its CSRF token comes with the first step's answer.
      rememberCsrfToken('staff', csrfToken);
      onSignedIn();
      await queryClient.invalidateQueries({ queryKey: staffSessionKey });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    signIn.mutate();
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <TextInput
          label="Staff email"
          type="email"
          autoComplete="username"
          required
          value={email}
          onChange={(event) => setEmail(event.currentTarget.value)}
          error={fieldError(signIn.error, 'email')}
        />
        <PasswordInput
          label="Password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(event) => setPassword(event.currentTarget.value)}
          error={fieldError(signIn.error, 'password')}
        />
        <FormAlert error={signIn.error} fields={['email', 'password']} />
        <Button type="submit" loading={signIn.isPending} fullWidth>
          Continue
        </Button>
        <Divider label="or" labelPosition="center" />
        <StaffPasskeyButton
          label="Sign in with a passkey"
          optionsPath="/api/staff/passkey-sign-in/options"
          path="/api/staff/passkey-sign-in"
        />
      </Stack>
    </form>
  );
}

/** A passkey instead of the password and code (`path` /api/staff/passkey-sign-in) or instead of the code. */
function StaffPasskeyButton({
  label,
  optionsPath,
  path,
}: {
  label: string;
  optionsPath: string;
  path: string;
}) {
  const queryClient = useQueryClient();
  const signIn = useMutation({
    mutationFn: async () => api.post<StaffSignedIn>(path, { credential: await signWithPasskey(optionsPath) }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: staffSessionKey }),
  });
  return (
    <Stack gap="xs">
      <Button variant="default" fullWidth onClick={() => signIn.mutate()} loading={signIn.isPending}>
        {label}
      </Button>
      <FormAlert error={signIn.error} />
    </Stack>
  );
}

/** Staff sign-in, step 2: the code from the authenticator app. */
export function StaffCodeForm({ onRestart }: { onRestart: () => void }) {
  const queryClient = useQueryClient();
  const [code, setCode] = useState('');
  const verify = useMutation({
    mutationFn: () =>
      api.post<StaffSignedIn>('/api/staff/session/second-factor', { code } satisfies StaffCode),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: staffSessionKey }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    verify.mutate();
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <CodeInput
          label="Authenticator code"
          description="The 6-digit code your authenticator app shows for Switchboard staff."
          value={code}
          onChange={setCode}
          error={fieldError(verify.error, 'code')}
        />
        <FormAlert error={verify.error} fields={['code']} />
        <Button type="submit" loading={verify.isPending} fullWidth>
          Sign in
        </Button>
        <StaffPasskeyButton
          label="Use a passkey instead"
          optionsPath="/api/staff/session/passkey/options"
          path="/api/staff/session/passkey"
        />
        <Anchor component="button" type="button" fz="sm" onClick={onRestart}>
          Start again
        </Anchor>
      </Stack>
    </form>
  );
}
