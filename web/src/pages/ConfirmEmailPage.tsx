import { Alert, Button, Group, Loader, Text } from '@mantine/core';
import type { EmailAnswer } from '@server/modules/identity/schemas';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api } from '../api';
import { AuthLayout } from '../components/AuthLayout';
import { sessionKey } from '../session';

/** The link sent to a new email address: following it makes the change. */
export function ConfirmEmailPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const confirmation = useQuery({
    queryKey: ['email-change', token],
    queryFn: () => api.post<EmailAnswer>('/api/email-change/confirm', { token }),
    enabled: token.length > 0,
    retry: false,
    staleTime: Number.POSITIVE_INFINITY,
    refetchOnWindowFocus: false,
  });
  const queryClient = useQueryClient();
  useEffect(() => {
    if (confirmation.isSuccess) queryClient.invalidateQueries({ queryKey: sessionKey });
  }, [confirmation.isSuccess, queryClient]);

  if (!token || confirmation.isError) {
    return (
      <AuthLayout title="This link did not work">
        <Alert color="red" role="alert">
          {confirmation.error?.message ??
            'This link is not complete. Open the whole link from the email we sent you.'}
        </Alert>
        <Text fz="sm">To try again, ask for the change once more in Account &gt; Settings &gt; Profile.</Text>
        <Button component={Link} to="/account/settings/profile">
          Go to Profile
        </Button>
      </AuthLayout>
    );
  }
  if (confirmation.isPending) {
    return (
      <AuthLayout title="Confirm your new email">
        <Group>
          <Loader size="sm" />
          <Text>Confirming…</Text>
        </Group>
      </AuthLayout>
    );
  }
  return (
    <AuthLayout title="Email changed">
      <Text>
        You now sign in with <b>{confirmation.data.email}</b>. We told your previous address about the change.
      </Text>
      <Button component={Link} to="/">
        Continue to the console
      </Button>
    </AuthLayout>
  );
}
