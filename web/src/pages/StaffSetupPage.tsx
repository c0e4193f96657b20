import { Alert, Button, Code, Group, Image, Loader, Stack, Text } from '@mantine/core';
import type { CompleteSetup, SetupDetails } from '@server/modules/staff/schemas';
import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, fieldError } from '../api';
import { AuthLayout } from '../components/AuthLayout';
import { CodeInput } from '../components/CodeInput';
import { FormAlert } from '../components/FormAlert';
import { NewPasswordField } from '../components/NewPasswordField';

/** A staff member's one-time setup link: choose a password and add the authenticator app. */
export function StaffSetupPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const details = useQuery({
    queryKey: ['staff-setup', token],
    queryFn: () => api.get<SetupDetails>(`/api/staff/setup/${encodeURIComponent(token)}`),
    enabled: token.length > 0,
    retry: false,
    refetchOnWindowFocus: false,
  });
  const complete = useMutation({
    mutationFn: (input: { password: string; code: string }) =>
      api.post('/api/staff/setup', { token, ...input } satisfies CompleteSetup),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    complete.mutate({ password, code });
  };

  if (complete.isSuccess) {
    return (
      <AuthLayout title="You are set up">
        <Text>Sign in with your email, your password and a code from your authenticator app.</Text>
        <Button component={Link} to="/staff">
          Go to staff sign-in
        </Button>
      </AuthLayout>
    );
  }
  if (!token || details.isError) {
    return (
      <AuthLayout title="This link did not work">
        <Alert color="red" role="alert">
          {details.error?.message ?? 'This link is not complete. Open the whole link you were given.'}
        </Alert>
        <Text fz="sm">Ask a staff admin for a new link (`switchboard staff create`).</Text>
      </AuthLayout>
    );
  }
  if (details.isPending) {
    return (
      <AuthLayout title="Staff setup">
        <Group>
          <Loader size="sm" />
          <Text>Checking your link…</Text>
        </Group>
      </AuthLayout>
    );
  }
  const { data } = details;
  return (
    <AuthLayout
      title={`Welcome, ${data.name}`}
      description={`Set up staff access for ${data.email}.`}
      width={520}
    >
      <form onSubmit={submit} noValidate>
        <Stack>
          <NewPasswordField
            label="Choose a password"
            value={password}
            onChange={setPassword}
            refusal={fieldError(complete.error, 'password')}
            refusedValue={complete.variables?.password}
            name={data.name}
            email={data.email}
          />
          <Text fz="sm">Scan this QR code with your authenticator app, then enter the code it shows.</Text>
          <Group align="flex-start" wrap="nowrap">
            <Image src={data.qrCode} alt="QR code for your authenticator app" w={180} h={180} />
            <Stack gap={4}>
              <Text fz="sm">Or enter this key:</Text>
              <Code style={{ wordBreak: 'break-all' }} data-testid="totp-secret">
                {data.secret}
              </Code>
            </Stack>
          </Group>
          <CodeInput
            label="Code from the app"
            value={code}
            onChange={setCode}
            error={fieldError(complete.error, 'code')}
          />
          <FormAlert error={complete.error} fields={['password', 'code']} />
          <Button type="submit" loading={complete.isPending} fullWidth>
            Finish setup
          </Button>
        </Stack>
      </form>
    </AuthLayout>
  );
}
