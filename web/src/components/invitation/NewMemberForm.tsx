import { Button, Stack, TextInput } from '@mantine/core';
import type { AcceptInvitation, InvitationAccepted } from '@server/modules/team/schemas';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useNavigate } from 'react-router';
import { api, fieldError } from '../../api';
import { enterAccount } from '../../session';
import { FormAlert } from '../FormAlert';
import { NewPasswordField } from '../NewPasswordField';
import type { InvitationView } from './invitation';

/** Someone new to Switchboard joins with a name and a password, then verifies a phone for 2FA. */
export function NewMemberForm({ token, invitation }: { token: string; invitation: InvitationView }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const accept = useMutation({
    mutationFn: (input: { name: string; password: string }) =>
      api.post<InvitationAccepted>('/api/invitations/accept', { token, ...input } satisfies AcceptInvitation),
    onSuccess: async () => {
      await enterAccount(queryClient);
      navigate('/onboarding', { replace: true });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    accept.mutate({ name, password });
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <TextInput label="Work email" value={invitation.email} readOnly variant="filled" />
        <TextInput
          label="Full name"
          autoComplete="name"
          required
          value={name}
          onChange={(event) => setName(event.currentTarget.value)}
          error={fieldError(accept.error, 'name')}
        />
        <NewPasswordField
          label="Password"
          value={password}
          onChange={setPassword}
          refusal={fieldError(accept.error, 'password')}
          refusedValue={accept.variables?.password}
          name={name}
          email={invitation.email}
        />
        <FormAlert error={accept.error} fields={['name', 'password']} />
        <Button type="submit" loading={accept.isPending} fullWidth>
          Accept invitation
        </Button>
      </Stack>
    </form>
  );
}
