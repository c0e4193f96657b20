import { Alert, Card, Divider, Loader, Stack, Text, Title } from '@mantine/core';
import { AuthenticatorRow } from '../components/security/AuthenticatorRow';
import { InactivityPolicyCard } from '../components/security/InactivityPolicyCard';
import { useSecurityOverview } from '../components/security/overview';
import { PasskeysRow } from '../components/security/PasskeysRow';
import { PhoneFactorRow } from '../components/security/PhoneFactorRow';
import { RecoveryCodesRow } from '../components/security/RecoveryCodesRow';
import { SecureAccountCard } from '../components/security/SecureAccountCard';
import { SignInsCard } from '../components/security/SignInsCard';
import { SsoCard } from '../components/sso/SsoCard';

/**
 * Account > Settings > Security: Two-Factor Authentication, Configure SSO (Owner and Admin), recent
 * sign-ins, Secure my account (Owner and Admin) and the inactive account policy.
 */
export function SecuritySettingsPage() {
  const overview = useSecurityOverview();
  return (
    <Stack maw={900} gap="lg">
      <div>
        <Text fz="sm" c="dimmed">
          Account › Settings
        </Text>
        <Title order={2} fz="h3">
          Security
        </Title>
      </div>
      <Card withBorder padding="lg">
        <Title order={3} fz="h5">
          Two-Factor Authentication
        </Title>
        <Text fz="sm" c="dimmed">
          Every sign-in needs your password and one of these, or a passkey alone. Keep at least one of phone
          codes, an authenticator app or a passkey.
        </Text>
        {overview.isPending && <Loader size="sm" mt="md" />}
        {overview.isError && (
          <Alert color="red" mt="md">
            {overview.error.message}
          </Alert>
        )}
        {overview.data && (
          <Stack gap={0} mt="xs">
            <PhoneFactorRow overview={overview.data} />
            <Divider />
            <AuthenticatorRow overview={overview.data} />
            <Divider />
            <PasskeysRow />
            <Divider />
            <RecoveryCodesRow overview={overview.data} />
          </Stack>
        )}
      </Card>
      <SsoCard />
      <SignInsCard />
      <SecureAccountCard />
      <InactivityPolicyCard />
    </Stack>
  );
}
