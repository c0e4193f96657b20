import { Card, Stack, Text, Title } from '@mantine/core';
import { PasskeyList } from '../passkeys/PasskeyList';
import { useReauthentication } from '../Reauthentication';

/** The staff member's own security settings: passkeys (the authenticator app is always kept). */
export function StaffSecurity() {
  const reauthentication = useReauthentication('staff');
  return (
    <Card withBorder padding="lg" maw={900}>
      <Stack gap="xs">
        <Title order={3} fz="h5">
          Passkeys
        </Title>
        <Text fz="sm" c="dimmed">
          Sign in to the staff console with your device's screen lock, a fingerprint or a security key: with
          no password, or instead of the authenticator code. Your authenticator app stays set up.
        </Text>
        <PasskeyList basePath="/api/staff/security/passkeys" run={reauthentication.run} />
      </Stack>
      {reauthentication.dialog}
    </Card>
  );
}
