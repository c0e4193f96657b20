import { Stack, Text, Title } from '@mantine/core';
import { EmailCard } from '../components/profile/EmailCard';
import { NameCard } from '../components/profile/NameCard';
import { PasswordCard } from '../components/profile/PasswordCard';
import { useSession } from '../session';

/** Account > Settings > Profile: name, email and password. */
export function ProfileSettingsPage() {
  const { data: session } = useSession();
  if (!session) return null;
  return (
    <Stack maw={760} gap="lg">
      <div>
        <Text fz="sm" c="dimmed">
          Account › Settings
        </Text>
        <Title order={2} fz="h3">
          Profile
        </Title>
      </div>
      <NameCard name={session.user.name} />
      <EmailCard email={session.user.email} />
      <PasswordCard name={session.user.name} email={session.user.email} />
    </Stack>
  );
}
