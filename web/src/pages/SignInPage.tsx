import { Alert, Anchor, Button, Divider, Group, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import type { SignedIn, SignInStep } from '@server/modules/identity/schemas';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, Navigate, useLocation, useSearchParams } from 'react-router';
import { api, fieldError } from '../api';
import { AuthLayout } from '../components/AuthLayout';
import { FormAlert } from '../components/FormAlert';
import { PageLoader } from '../components/PageLoader';
import { NewPasswordForm } from '../components/signin/NewPasswordForm';
import { SecondFactorForm } from '../components/signin/SecondFactorForm';
import { SsoRefusal } from '../components/signin/SsoRefusal';
import { SsoSignInForm } from '../components/signin/SsoSignInForm';
import { signWithPasskey } from '../passkeys';
import { placeOf, reloadSession, useSession } from '../session';

/** Only paths inside the console are followed after sign-in. */
const safeNext = (next: string | null) => (next?.startsWith('/') && !next.startsWith('//') ? next : '/');

/** Sign in: email and password, or SSO through the account's identity provider; then a second factor. */
export function SignInPage() {
  const session = useSession();
  const [params] = useSearchParams();
  // What the console said on the way out (an account just closed).
  const notice = (useLocation().state as { notice?: string } | null)?.notice;
  if (session.isPending) return <PageLoader />;
  const place = placeOf(session.data ?? null);
  if (place === 'console') return <Navigate to={safeNext(params.get('next'))} replace />;
  if (place === 'onboarding') return <Navigate to="/onboarding" replace />;
  const footer = (
    <>
      New to Switchboard?{' '}
      <Anchor component={Link} to="/signup">
        Create an account
      </Anchor>
    </>
  );
  if (place === 'second_factor' && session.data) {
    return (
      <AuthLayout title="Two-factor authentication" footer={footer}>
        {params.get('sso') === 'second_factor' && (
          <Text fz="sm" c="dimmed" mb="sm">
            Your identity provider signed you in. One more step:
          </Text>
        )}
        <SecondFactorForm methods={session.data.methods} email={session.data.user.email} />
      </AuthLayout>
    );
  }
  if (place === 'password_change' && session.data) {
    return (
      <AuthLayout title="Set a new password" footer={footer}>
        <NewPasswordForm name={session.data.user.name} email={session.data.user.email} />
      </AuthLayout>
    );
  }
  return (
    <AuthLayout title="Sign in to Switchboard" footer={footer}>
      {notice && (
        <Alert color="blue" mb="md" role="status">
          {notice}
        </Alert>
      )}
      <SsoRefusal />
      <SignInForms startWithSso={params.has('sso_error')} />
    </AuthLayout>
  );
}

/** The password form, a passkey, or the SSO form when the person chooses "Sign in with SSO". */
function SignInForms({ startWithSso }: { startWithSso: boolean }) {
  const [sso, setSso] = useState(startWithSso);
  if (sso) return <SsoSignInForm onUsePassword={() => setSso(false)} />;
  return (
    <Stack>
      <PasswordForm />
      <Divider label="or" labelPosition="center" />
      <PasskeySignIn />
      <Button variant="default" fullWidth onClick={() => setSso(true)}>
        Sign in with SSO
      </Button>
    </Stack>
  );
}

/** Sign in with a passkey alone: verified by the device, it is both factors, so the console opens. */
function PasskeySignIn() {
  const queryClient = useQueryClient();
  const signIn = useMutation({
    mutationFn: async () =>
      api.post<SignedIn>('/api/passkey-sign-in', {
        credential: await signWithPasskey('/api/passkey-sign-in/options'),
      }),
    onSuccess: () => reloadSession(queryClient),
  });
  return (
    <Stack gap="xs">
      <Button variant="default" fullWidth onClick={() => signIn.mutate()} loading={signIn.isPending}>
        Sign in with a passkey
      </Button>
      <FormAlert error={signIn.error} />
    </Stack>
  );
}

function PasswordForm() {
  const queryClient = useQueryClient();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const signIn = useMutation({
    mutationFn: () => api.post<SignInStep>('/api/session', { email, password }),
    onSuccess: () => reloadSession(queryClient),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    signIn.mutate();
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <TextInput
          label="Work email"
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
        <Group justify="flex-end">
          <Anchor component={Link} to="/forgot-password" fz="sm">
            Forgot password?
          </Anchor>
        </Group>
        <FormAlert error={signIn.error} fields={['email', 'password']} />
        <Button type="submit" loading={signIn.isPending} fullWidth>
          Sign in
        </Button>
      </Stack>
    </form>
  );
}
