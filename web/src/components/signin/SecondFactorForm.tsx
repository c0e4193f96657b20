import { Anchor, Button, Divider, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { api } from '../../api';
import { signWithPasskey } from '../../passkeys';
import { type FactorMethod, reloadSession, type SignInMethod, signOut } from '../../session';
import { FactorChallenge, useFactorChoice } from '../FactorChallenge';
import { FormAlert } from '../FormAlert';

const isCodeMethod = (method: SignInMethod): method is FactorMethod => method !== 'passkey';

/** Sign in, step 2: a passkey, a code from the authenticator app, a code sent to the phone, or a recovery code. */
export function SecondFactorForm({ methods, email }: { methods: SignInMethod[]; email: string }) {
  const queryClient = useQueryClient();
  const choice = useFactorChoice(methods.filter(isCodeMethod));
  const verify = useMutation({
    mutationFn: () => api.post('/api/session/second-factor', { method: choice.method, code: choice.code }),
    onSuccess: () => reloadSession(queryClient),
  });
  const passkey = useMutation({
    mutationFn: async () =>
      api.post('/api/session/passkey', { credential: await signWithPasskey('/api/session/passkey/options') }),
    onSuccess: () => reloadSession(queryClient),
  });
  const restart = useMutation({ mutationFn: () => signOut(queryClient) });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    verify.mutate();
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Text fz="sm">
          Signing in as <b>{email}</b>. Confirm it is you with your second factor.
        </Text>
        {methods.includes('passkey') && (
          <>
            <Button variant="default" onClick={() => passkey.mutate()} loading={passkey.isPending} fullWidth>
              Use your passkey
            </Button>
            <FormAlert error={passkey.error} />
            <Divider label="or enter a code" labelPosition="center" />
          </>
        )}
        <FactorChallenge choice={choice} check={verify} phoneCodePath="/api/session/phone-code" />
        <FormAlert error={verify.error} fields={['code']} />
        <Button type="submit" loading={verify.isPending} fullWidth>
          Verify and sign in
        </Button>
        <Anchor component="button" type="button" fz="sm" onClick={() => restart.mutate()}>
          Sign in as someone else
        </Anchor>
      </Stack>
    </form>
  );
}
