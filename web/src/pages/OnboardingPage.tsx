import { Alert, Box, Container, Group, Paper, Stepper, Text, Title } from '@mantine/core';
import { Navigate } from 'react-router';
import { AccountStatusPanel } from '../components/onboarding/AccountStatusPanel';
import { BusinessDetailsStep } from '../components/onboarding/BusinessDetailsStep';
import { PhoneStep } from '../components/onboarding/PhoneStep';
import { VerifyEmailStep } from '../components/onboarding/VerifyEmailStep';
import { PageLoader } from '../components/PageLoader';
import { type ConsoleSession, useSession } from '../session';

/** How far onboarding has come: 0 email, 1 phone, 2 business details, 3 done. */
function stepOf(session: ConsoleSession): number {
  if (!session.onboarding.emailVerified) return 0;
  if (session.stage === 'onboarding' || !session.onboarding.phoneVerified) return 1;
  if (session.account?.status === 'pending_verification') return 2;
  return 3;
}

/**
 * Someone who joined an account by invitation: the link proved their email, and the business details
 * are the Owner's, asked while the account is pending; only the phone for 2FA is left.
 */
const joining = (session: ConsoleSession) =>
  session.stage === 'onboarding' &&
  session.onboarding.emailVerified &&
  session.account !== null &&
  session.account.status !== 'pending_verification';

/** Onboarding: verify email, verify phone, business details; then the account's status. */
export function OnboardingPage() {
  const session = useSession();
  if (session.isPending) return <PageLoader />;
  if (session.isError) {
    return (
      <Container size={560} py="xl">
        <Alert color="red">{session.error.message}</Alert>
      </Container>
    );
  }
  if (!session.data) return <Navigate to="/signin?next=%2Fonboarding" replace />;
  if (session.data.stage === 'second_factor') return <Navigate to="/signin" replace />;
  const step = stepOf(session.data);
  const account = session.data.account;
  if (step === 3 && (!account || account.status === 'active')) return <Navigate to="/" replace />;

  return (
    <Box bg="gray.0" mih="100vh">
      <Container size={760} py={48}>
        <Group justify="space-between" mb="lg">
          <Text fw={700} fz="lg" c="indigo.7">
            Switchboard
          </Text>
          <Text c="dimmed" fz="sm">
            {session.data.user.email}
          </Text>
        </Group>
        <Paper withBorder shadow="sm" p="xl">
          {joining(session.data) ? (
            <>
              <Title order={2} fz="h3" mb="xs">
                Set up two-factor authentication
              </Title>
              <Text c="dimmed" fz="sm" mb="lg">
                Verify your phone to finish joining {account?.name}; every member signs in with a second
                factor.
              </Text>
              <PhoneStep />
            </>
          ) : (
            <Onboarding step={step} session={session.data} />
          )}
        </Paper>
      </Container>
    </Box>
  );
}

function Onboarding({ step, session }: { step: number; session: ConsoleSession }) {
  return (
    <>
      <Title order={2} fz="h3" mb="lg">
        Set up your account
      </Title>
      <Stepper active={step} size="sm" allowNextStepsSelect={false}>
        <Stepper.Step label="Verify email" description="Activation link">
          <VerifyEmailStep session={session} />
        </Stepper.Step>
        <Stepper.Step label="Verify phone" description="SMS or voice code">
          <PhoneStep />
        </Stepper.Step>
        <Stepper.Step label="Business details" description="Company and use">
          <BusinessDetailsStep />
        </Stepper.Step>
        <Stepper.Completed>
          {session.account && <AccountStatusPanel account={session.account} />}
        </Stepper.Completed>
      </Stepper>
    </>
  );
}
