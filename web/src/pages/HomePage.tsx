import { Alert, Badge, Button, Card, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { HomeBalanceCard } from '../components/billing/HomeBalanceCard';
import { countries } from '../components/CountrySelect';
import { HomeCredentialsCard } from '../components/credentials/HomeCredentialsCard';
import { CompleteProfileOffer } from '../components/onboarding/CompleteProfileOffer';
import { useSession } from '../session';

const statusLabels: Record<string, { label: string; color: string }> = {
  active: { label: 'Active', color: 'teal' },
  under_review: { label: 'Under review', color: 'yellow' },
  rejected: { label: 'Rejected', color: 'red' },
  pending_verification: { label: 'Verification pending', color: 'gray' },
};

/** Console home: the Auth ID and Auth Token at the top, then the account's status and details. */
export function HomePage() {
  const { data: session } = useSession();
  const account = session?.account;
  if (!session || !account) {
    return <Alert color="yellow">You are not a member of an account yet.</Alert>;
  }
  const status = statusLabels[account.status] ?? { label: account.status, color: 'gray' };
  const profile = account.businessProfile;
  const country = countries.find((c) => c.value === profile?.country)?.label ?? profile?.country;

  return (
    <Stack maw={960} gap="lg">
      <div>
        <Text fz="sm" c="dimmed">
          Welcome, {session.user.name}
        </Text>
        <Title order={2} fz="h3">
          {account.name}
        </Title>
      </div>
      <HomeCredentialsCard
        authId={account.authId}
        badge={
          <Badge color={status.color} size="lg" variant="light">
            {status.label}
          </Badge>
        }
      />

      <HomeBalanceCard />

      {account.status === 'under_review' && (
        <Alert color="yellow" title="Your account is under review" role="status">
          <Stack gap={4}>
            {account.review && <Text fz="sm">Reason: {account.review.reason}.</Text>}
            <Text fz="sm">
              Most accounts are activated within {account.review?.targetHours ?? 24} hours. We will email you
              when the review is done.
            </Text>
            <CompleteProfileOffer account={account} />
          </Stack>
        </Alert>
      )}
      {account.status === 'rejected' && (
        <Alert color="red" title="Your account could not be activated">
          We emailed you the reason. Reply to that email if you can provide more information.
        </Alert>
      )}

      {profile && (
        <Card withBorder padding="lg">
          <Title order={3} fz="h5" mb="sm">
            Business details
          </Title>
          <SimpleGrid cols={2} spacing="sm">
            <Detail label="Company" value={profile.companyName} />
            <Detail label="Website" value={profile.website} />
            <Detail label="Country" value={country ?? ''} />
            <Detail label="Intended use" value={profile.intendedUse} />
          </SimpleGrid>
        </Card>
      )}

      <Card withBorder padding="lg">
        <Title order={3} fz="h5" mb="xs">
          Keep your account safe
        </Title>
        <Text fz="sm" mb="sm">
          Add an authenticator app and keep recovery codes, so you can sign in without your phone.
        </Text>
        <Button component={Link} to="/account/settings/security" variant="light" w="fit-content">
          Open Security settings
        </Button>
      </Card>
    </Stack>
  );
}

function Detail({ label, value }: { label: string; value: string }) {
  return (
    <Stack gap={0}>
      <Text fz="xs" c="dimmed">
        {label}
      </Text>
      <Text fz="sm">{value}</Text>
    </Stack>
  );
}
