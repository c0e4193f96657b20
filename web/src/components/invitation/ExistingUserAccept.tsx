import { Alert, Button, Stack, Text } from '@mantine/core';
import type { AcceptInvitation, InvitationAccepted } from '@server/modules/team/schemas';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router';
import { api } from '../../api';
import { enterAccount, signOut, useSession } from '../../session';
import { FormAlert } from '../FormAlert';
import { PageLoader } from '../PageLoader';
import { type InvitationView, signInToAccept } from './invitation';

/** Someone who already has a user accepts while signed in as that user; the console then works in the new account. */
export function ExistingUserAccept({ token, invitation }: { token: string; invitation: InvitationView }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const session = useSession();
  const accept = useMutation({
    mutationFn: () =>
      api.post<InvitationAccepted>('/api/invitations/accept', { token } satisfies AcceptInvitation),
    onSuccess: async () => {
      await enterAccount(queryClient);
      navigate('/', { replace: true });
    },
  });
  const switchUser = useMutation({
    mutationFn: () => signOut(queryClient),
    onSuccess: () => navigate(signInToAccept(token)),
  });
  if (session.isPending) return <PageLoader />;
  const signedInAs = session.data?.stage === 'full' ? session.data.user.email : null;

  if (!signedInAs) {
    return (
      <Stack>
        <Text fz="sm">
          {invitation.email} already has a Switchboard user. Sign in as {invitation.email} to accept; you come
          back here afterwards.
        </Text>
        <Button component={Link} to={signInToAccept(token)} fullWidth>
          Sign in to accept
        </Button>
      </Stack>
    );
  }
  if (signedInAs.toLowerCase() !== invitation.email.toLowerCase()) {
    return (
      <Stack>
        <Alert color="yellow">
          You are signed in as {signedInAs}, but this invitation is for {invitation.email}.
        </Alert>
        <FormAlert error={switchUser.error} />
        <Button onClick={() => switchUser.mutate()} loading={switchUser.isPending} fullWidth>
          Sign out and sign in as {invitation.email}
        </Button>
      </Stack>
    );
  }
  return (
    <Stack>
      <Text fz="sm">
        You are signed in as {signedInAs}. The account joins your others; switch between them in the console's
        header.
      </Text>
      <FormAlert error={accept.error} />
      <Button onClick={() => accept.mutate()} loading={accept.isPending} fullWidth>
        Accept invitation
      </Button>
    </Stack>
  );
}
