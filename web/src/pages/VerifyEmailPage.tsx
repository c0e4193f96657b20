import { Alert, Button, Group, Loader, Stack, Text } from '@mantine/core';
import type { EmailAnswer } from '@server/modules/identity/schemas';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { ApiError, api } from '../api';
import { AuthLayout } from '../components/AuthLayout';
import { FormAlert } from '../components/FormAlert';
import { useSession } from '../session';

/** The activation link from the sign-up email. */
export function VerifyEmailPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const verification = useQuery({
    queryKey: ['email-verification', token],
    queryFn: () => api.post<EmailAnswer>('/api/email-verification', { token }),
    enabled: token.length > 0,
    retry: false,
    staleTime: Number.POSITIVE_INFINITY,
    refetchOnWindowFocus: false,
  });

  if (!token) {
    return (
      <AuthLayout title="Verify your email">
        <Alert color="red">This link is not complete. Open the whole link from the email we sent you.</Alert>
        <NextStepAfterFailure code="link_invalid" />
      </AuthLayout>
    );
  }
  if (verification.isPending) {
    return (
      <AuthLayout title="Verify your email">
        <Group>
          <Loader size="sm" />
          <Text>Checking your link…</Text>
        </Group>
      </AuthLayout>
    );
  }
  if (verification.isError) {
    const code = verification.error instanceof ApiError ? verification.error.code : 'error';
    return (
      <AuthLayout title="This link did not work">
        <Alert color="red" role="alert">
          {verification.error.message}
        </Alert>
        <NextStepAfterFailure code={code} />
      </AuthLayout>
    );
  }
  return (
    <AuthLayout title="Email verified — continue">
      <Text>
        <b>{verification.data.email}</b> is verified. Next, verify your phone number and tell us about your
        business.
      </Text>
      <Button component={Link} to="/onboarding">
        Continue
      </Button>
    </AuthLayout>
  );
}

/** After a used, expired or invalid link: the way forward for this person. */
function NextStepAfterFailure({ code }: { code: string }) {
  const session = useSession();
  const resend = useMutation({
    mutationFn: () => api.post<EmailAnswer>('/api/email-verification/resend'),
  });
  if (code === 'link_used') {
    return (
      <Stack>
        <Text fz="sm">If you already verified your email, carry on where you left off.</Text>
        <Group>
          <Button component={Link} to="/onboarding">
            Continue
          </Button>
          <Button component={Link} to="/signin" variant="default">
            Sign in
          </Button>
        </Group>
      </Stack>
    );
  }
  if (session.data?.stage === 'onboarding' && !session.data.onboarding.emailVerified) {
    if (resend.isSuccess) {
      return (
        <Alert color="teal">
          A new link is on its way to {resend.data.email}. It works once, for 24 hours.
        </Alert>
      );
    }
    return (
      <Stack>
        <FormAlert error={resend.error} />
        <Button onClick={() => resend.mutate()} loading={resend.isPending}>
          Send a new link
        </Button>
      </Stack>
    );
  }
  return (
    <Stack>
      <Text fz="sm">Sign in to get a new link: you will be taken to the email step.</Text>
      <Button component={Link} to="/signin">
        Sign in
      </Button>
    </Stack>
  );
}
