import { Stack, Text } from '@mantine/core';
import { PasskeyList } from '../passkeys/PasskeyList';
import { useReauthentication } from '../Reauthentication';

/** Passkeys: sign in with one alone, or use one as the second factor after the password. */
export function PasskeysRow() {
  const reauthentication = useReauthentication();
  return (
    <Stack gap="xs" py="md">
      <Stack gap={2}>
        <Text fw={600}>Passkeys</Text>
        <Text fz="sm" c="dimmed">
          Sign in with your device's screen lock, a fingerprint or a security key: with no password (choose
          "Sign in with a passkey"), or as the second step after it. Passkeys cannot be phished.
        </Text>
      </Stack>
      <PasskeyList basePath="/api/security/passkeys" run={reauthentication.run} />
      {reauthentication.dialog}
    </Stack>
  );
}
