import { Button, Card, Group, Loader, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useAccess } from '../access';
import { ApplicationDialog } from '../components/applications/ApplicationDialog';
import { ApplicationsTable } from '../components/applications/ApplicationsTable';
import { useApplications } from '../components/applications/applications';
import { PageTitle } from '../components/PageTitle';
import { QueryError } from '../components/QueryError';
import { RoleGate } from '../components/RoleGate';
import { useSubaccounts } from '../components/subaccounts/subaccounts';

/** Applications: the URLs Switchboard calls for the calls and messages of numbers and endpoints. */
export function ApplicationsPage() {
  return (
    <Stack maw={1100} gap="lg">
      <PageTitle title="Applications" />
      <RoleGate capability="manageApplications" activity="manage applications">
        <ApplicationsCard />
      </RoleGate>
    </Stack>
  );
}

function ApplicationsCard() {
  const access = useAccess();
  const applications = useApplications();
  const subaccounts = useSubaccounts({ enabled: access.can('viewSubaccounts') });
  const [creating, setCreating] = useState(false);
  if (applications.isPending) return <Loader size="sm" aria-label="Loading" />;
  if (applications.isError) return <QueryError error={applications.error} />;
  const list = applications.data.applications;
  return (
    <Card withBorder padding="lg">
      <Group justify="space-between" mb="sm">
        <Text fz="sm" c="dimmed" maw={640}>
          An application tells Switchboard which URLs to call when a call or message arrives at a number or
          endpoint linked to it.
        </Text>
        <Button onClick={() => setCreating(true)}>Create Application</Button>
      </Group>
      {list.length === 0 ? (
        <Text fz="sm">No applications yet.</Text>
      ) : (
        <ApplicationsTable applications={list} subaccounts={subaccounts.data?.subaccounts ?? []} />
      )}
      <ApplicationDialog opened={creating} onClose={() => setCreating(false)} />
    </Card>
  );
}
