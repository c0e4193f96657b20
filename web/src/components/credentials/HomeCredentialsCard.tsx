import { Card, Group, SimpleGrid, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useAccess } from '../../access';
import { isRoleRefusal } from '../../api';
import { CredentialValue } from './CredentialValue';
import { useCredentials } from './credentials';

/**
 * The top of the console home: the Auth ID for everyone, and the Auth Token for the roles that may
 * read it. A role that may not (the server answers 403) sees the Auth ID alone, without an error.
 */
export function HomeCredentialsCard({ authId, badge }: { authId: string; badge: ReactNode }) {
  const access = useAccess();
  const mayRead = !access.role || access.can('viewCredentials');
  const credentials = useCredentials({ enabled: !access.pending && mayRead });
  const refused = !mayRead || isRoleRefusal(credentials.error);

  return (
    <Card withBorder padding="lg">
      <Group justify="space-between" mb="sm">
        <Title order={3} fz="h5">
          API credentials
        </Title>
        {badge}
      </Group>
      <SimpleGrid cols={{ base: 1, md: refused ? 1 : 2 }} spacing="xl">
        <CredentialValue
          label="Auth ID"
          value={authId}
          testId="auth-id"
          hint="Your account's ID in API requests (the user name of HTTP Basic authentication)."
        />
        {!refused && credentials.data?.authToken && (
          <CredentialValue
            label="Auth Token"
            value={credentials.data.authToken}
            secret
            testId="auth-token"
            hint="The password of API requests. Keep it private; rotate it on Account › Settings › Credentials."
          />
        )}
        {!refused && credentials.isError && (
          <Text fz="sm" c="red" role="alert">
            The Auth Token could not be loaded: {credentials.error.message}
          </Text>
        )}
      </SimpleGrid>
    </Card>
  );
}
