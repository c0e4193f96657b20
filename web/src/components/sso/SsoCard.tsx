import { Button, Card, Divider, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useAccess } from '../../access';
import { ApiError } from '../../api';
import { QueryError } from '../QueryError';
import { ConfigureSsoDialog } from './ConfigureSsoDialog';
import { ConnectionPanel } from './ConnectionPanel';
import { SsoSettings } from './SsoSettings';
import { useSso } from './sso';
import { TestOutcome } from './TestOutcome';

/** Account > Settings > Security > Configure SSO, for Owners and Admins. */
export function SsoCard() {
  const access = useAccess();
  const mayConfigure = !access.role || access.can('manageSso');
  const sso = useSso({ enabled: !access.pending && mayConfigure });
  const [configuring, setConfiguring] = useState(false);
  if (!access.pending && !mayConfigure) return null;
  const notEnabled =
    sso.data?.enabled === false || (sso.error instanceof ApiError && sso.error.code === 'sso_not_enabled');

  return (
    <Card withBorder padding="lg">
      <Group justify="space-between" mb="xs">
        <Title order={3} fz="h5">
          Configure SSO
        </Title>
        {sso.data?.enabled && (
          <Button size="xs" onClick={() => setConfiguring(true)}>
            {sso.data.connection ? 'Replace identity provider' : 'Configure'}
          </Button>
        )}
      </Group>
      <Text fz="sm" c="dimmed" mb="sm">
        Single sign-on: members sign in through your identity provider (OpenID Connect or SAML 2.0).
      </Text>
      <Stack>
        <TestOutcome />
        {(access.pending || sso.isPending) && !notEnabled && <Loader size="sm" aria-label="Loading" />}
        {notEnabled && <Text fz="sm">Contact support to access SSO.</Text>}
        {sso.isError && !notEnabled && <QueryError error={sso.error} />}
        {sso.data?.enabled && (
          <>
            {sso.data.connection && <ConnectionPanel connection={sso.data.connection} />}
            {sso.data.pendingConnection && <ConnectionPanel connection={sso.data.pendingConnection} />}
            {!sso.data.connection && !sso.data.pendingConnection && (
              <Text fz="sm">No identity provider is configured. Choose Configure to add one.</Text>
            )}
            <Divider />
            <SsoSettings sso={sso.data} />
            <ConfigureSsoDialog
              opened={configuring}
              onClose={() => setConfiguring(false)}
              urls={sso.data.serviceProvider}
            />
          </>
        )}
      </Stack>
    </Card>
  );
}
