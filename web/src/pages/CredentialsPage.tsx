import { Alert, Button, Card, Group, Loader, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useAccess } from '../access';
import { ApiKeysCard } from '../components/credentials/ApiKeysCard';
import { CredentialValue } from '../components/credentials/CredentialValue';
import { useCredentials } from '../components/credentials/credentials';
import { GenerateTokenDialog } from '../components/credentials/GenerateTokenDialog';
import { TokensTable } from '../components/credentials/TokensTable';
import { PageTitle } from '../components/PageTitle';
import { QueryError } from '../components/QueryError';
import { RoleGate } from '../components/RoleGate';

/** Account > Settings > Credentials: Auth ID, Auth Token, Generate Auth Token, the live tokens and API Keys. */
export function CredentialsPage() {
  return (
    <Stack maw={900} gap="lg">
      <PageTitle section="Account › Settings" title="Credentials" />
      <RoleGate capability="viewCredentials" activity="view the API credentials">
        <CredentialsCards />
      </RoleGate>
    </Stack>
  );
}

function CredentialsCards() {
  const access = useAccess();
  const credentials = useCredentials();
  const [generating, setGenerating] = useState(false);
  const canManage = access.can('manageCredentials');
  if (credentials.isPending) return <Loader size="sm" aria-label="Loading" />;
  if (credentials.isError) return <QueryError error={credentials.error} />;
  const { authId, authToken, tokens } = credentials.data;

  return (
    <>
      <Card withBorder padding="lg">
        <Stack>
          <Text fz="sm">
            API requests authenticate with HTTP Basic: the Auth ID is the user name, the Auth Token the
            password. Keep the Auth Token private like a password.
          </Text>
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <CredentialValue label="Auth ID" value={authId} testId="auth-id" hint="Cannot be changed." />
            {authToken ? (
              <CredentialValue label="Auth Token" value={authToken} secret testId="auth-token" />
            ) : (
              <Alert color="yellow">No Auth Token is live: generate one.</Alert>
            )}
          </SimpleGrid>
        </Stack>
      </Card>
      <Card withBorder padding="lg">
        <Group justify="space-between" mb="xs">
          <Title order={3} fz="h5">
            Live Auth Tokens
          </Title>
          {canManage && <Button onClick={() => setGenerating(true)}>Generate Auth Token</Button>}
        </Group>
        <Text fz="sm" c="dimmed" mb="sm">
          {!canManage
            ? 'Only an Owner or Admin can generate or revoke Auth Tokens.'
            : tokens.length === 1
              ? 'This is the only live token, so it cannot be revoked: generate a new one first, and choose there whether this one keeps working.'
              : 'Rotate tokens regularly. A kept token works until you revoke it.'}
        </Text>
        <TokensTable tokens={tokens} canRevoke={canManage && tokens.length > 1} />
      </Card>
      {canManage && (
        <Card withBorder padding="lg">
          <ApiKeysCard />
        </Card>
      )}
      <GenerateTokenDialog opened={generating} onClose={() => setGenerating(false)} />
    </>
  );
}
