import { Alert, Button, Loader, Stack, Text } from '@mantine/core';
import { Link, useSearchParams } from 'react-router';
import { ApiError } from '../api';
import { AuthLayout } from '../components/AuthLayout';
import { ExistingUserAccept } from '../components/invitation/ExistingUserAccept';
import { useInvitation } from '../components/invitation/invitation';
import { NewMemberForm } from '../components/invitation/NewMemberForm';
import { roleNames } from '../roles';

/** An invitation link from the email: who invites whom to which account, then accept as a new or existing user. */
export function InvitationPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const invitation = useInvitation(token);

  if (!token || invitation.isError) return <LinkProblem error={invitation.error} />;
  if (invitation.isPending) {
    return (
      <AuthLayout title="Invitation">
        <Loader size="sm" aria-label="Loading" />
      </AuthLayout>
    );
  }
  const { accountName, email, role, invitedBy, hasUser, expiresAt } = invitation.data;
  return (
    <AuthLayout
      title={`Join ${accountName}`}
      description={
        <>
          {invitedBy ?? 'The account owner'} invited {email} to join {accountName} on Switchboard as{' '}
          {roleNames[role]}. The invitation works until {new Date(expiresAt).toLocaleString()}.
        </>
      }
    >
      {hasUser ? (
        <ExistingUserAccept token={token} invitation={invitation.data} />
      ) : (
        <NewMemberForm token={token} invitation={invitation.data} />
      )}
    </AuthLayout>
  );
}

/** Why the link does not work (invalid, used, expired or withdrawn), and what to do next. */
function LinkProblem({ error }: { error: Error | null }) {
  const used = error instanceof ApiError && error.code === 'link_used';
  return (
    <AuthLayout title="This invitation link did not work">
      <Alert color="red" role="alert">
        {error?.message ?? 'This link is not complete. Open the whole link from the invitation email.'}
      </Alert>
      <Stack gap="sm">
        <Text fz="sm">
          {used
            ? 'You are already a member: sign in to work in the account.'
            : 'Invitation links work once, for 7 days. Ask an Owner or Admin of the account to resend it.'}
        </Text>
        <Button component={Link} to="/signin" variant={used ? 'filled' : 'default'} w="fit-content">
          Sign in
        </Button>
      </Stack>
    </AuthLayout>
  );
}
