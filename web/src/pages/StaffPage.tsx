import { Alert, Badge, Box, Button, Container, Group, Tabs, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useParams } from 'react-router';
import { api, rememberCsrfToken } from '../api';
import { AuthLayout } from '../components/AuthLayout';
import { PageLoader } from '../components/PageLoader';
import { AccountPage } from '../components/staff/AccountPage';
import { AccountSearch } from '../components/staff/AccountSearch';
import { EnginesPanel } from '../components/staff/EnginesPanel';
import { FlaggedPanel } from '../components/staff/FlaggedPanel';
import { JobsPanel } from '../components/staff/JobsPanel';
import { NumberInventory } from '../components/staff/NumberInventory';
import { PriceDecks } from '../components/staff/PriceDecks';
import { ReviewQueue } from '../components/staff/ReviewQueue';
import { StaffSecurity } from '../components/staff/StaffSecurity';
import { StaffCodeForm, StaffPasswordForm } from '../components/staff/StaffSignIn';
import { TicketsPanel } from '../components/staff/TicketsPanel';
import { type StaffMember, staffSessionKey, useStaffSession } from '../staff-session';

const roleLabels: Record<string, string> = { staff_admin: 'Staff admin', agent: 'Agent' };

/** The staff console: sign-in with an authenticator app or a passkey, then the activation review queue, accounts, numbers and jobs. */
export function StaffPage() {
  const session = useStaffSession();
  // The code step needs the CSRF token the password step answered; after a reload, start from the password.
  const [awaitingCode, setAwaitingCode] = useState(false);
  if (session.isPending) return <PageLoader />;
  if (session.isError) {
    return (
      <Container size={560} py="xl">
        <Alert color="red">{session.error.message}</Alert>
      </Container>
    );
  }
  if (session.data.state === 'signed_in') return <StaffConsole staff={session.data.staff} />;
  if (session.data.state === 'second_factor' && awaitingCode) {
    return (
      <AuthLayout title="Staff sign-in" description="Step 2 of 2: your authenticator app.">
        <StaffCodeForm onRestart={() => setAwaitingCode(false)} />
      </AuthLayout>
    );
  }
  return (
    <AuthLayout title="Staff sign-in" description="For the operator's staff. Customers sign in at /signin.">
      <StaffPasswordForm onSignedIn={() => setAwaitingCode(true)} />
    </AuthLayout>
  );
}

function StaffConsole({ staff }: { staff: StaffMember }) {
  const queryClient = useQueryClient();
  // /staff/accounts/:accountId: one account's page in place of the tabs.
  const { accountId } = useParams();
  const signOut = useMutation({
    mutationFn: () => api.delete('/api/staff/session'),
    onSuccess: () => {
      rememberCsrfToken('staff', '');
      queryClient.removeQueries({ queryKey: ['staff'] });
      queryClient.setQueryData(staffSessionKey, { state: 'signed_out' });
    },
  });
  return (
    <Box bg="gray.0" mih="100vh">
      <Box bg="white" px="lg" py="sm" style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}>
        <Group justify="space-between">
          <Group gap="sm">
            <Text fw={700} fz="lg" c="indigo.7">
              Switchboard
            </Text>
            <Badge variant="light">Staff</Badge>
          </Group>
          <Group gap="md">
            <Text fz="sm">
              {staff.name} · {roleLabels[staff.role] ?? staff.role}
            </Text>
            <Button variant="default" size="xs" onClick={() => signOut.mutate()} loading={signOut.isPending}>
              Sign out
            </Button>
          </Group>
        </Group>
      </Box>
      <Container size="lg" py="lg">
        {signOut.isError && <Alert color="red">{signOut.error.message}</Alert>}
        {accountId && <AccountPage accountId={accountId} />}
        <Tabs defaultValue="reviews" keepMounted={false} display={accountId ? 'none' : undefined}>
          <Tabs.List mb="lg">
            <Tabs.Tab value="reviews">Activation review</Tabs.Tab>
            <Tabs.Tab value="accounts">Accounts</Tabs.Tab>
            <Tabs.Tab value="numbers">Number inventory</Tabs.Tab>
            <Tabs.Tab value="prices">Prices</Tabs.Tab>
            <Tabs.Tab value="jobs">Jobs</Tabs.Tab>
            <Tabs.Tab value="engines">Engines</Tabs.Tab>
            <Tabs.Tab value="tickets">Tickets</Tabs.Tab>
            <Tabs.Tab value="flagged">Flagged</Tabs.Tab>
            <Tabs.Tab value="security">My security</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="reviews">
            <ReviewQueue />
          </Tabs.Panel>
          <Tabs.Panel value="accounts">
            <AccountSearch />
          </Tabs.Panel>
          <Tabs.Panel value="numbers">
            <NumberInventory />
          </Tabs.Panel>
          <Tabs.Panel value="prices">
            <PriceDecks />
          </Tabs.Panel>
          <Tabs.Panel value="jobs">
            <JobsPanel />
          </Tabs.Panel>
          <Tabs.Panel value="engines">
            <EnginesPanel />
          </Tabs.Panel>
          <Tabs.Panel value="tickets">
            <TicketsPanel />
          </Tabs.Panel>
          <Tabs.Panel value="flagged">
            <FlaggedPanel />
          </Tabs.Panel>
          <Tabs.Panel value="security">
            <StaffSecurity />
          </Tabs.Panel>
        </Tabs>
      </Container>
    </Box>
  );
}
