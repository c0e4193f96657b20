import { Button, Card, Group, Loader, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useApplications } from '../components/applications/applications';
import { EndpointDialog } from '../components/endpoints/EndpointDialog';
import { EndpointsTable } from '../components/endpoints/EndpointsTable';
import { useEndpoints } from '../components/endpoints/endpoints';
import { PageTitle } from '../components/PageTitle';
import { QueryError } from '../components/QueryError';
import { RoleGate } from '../components/RoleGate';

/** Endpoints: SIP user agents (softphones, desk phones) that register with a username and password. */
export function EndpointsPage() {
  return (
    <Stack maw={1100} gap="lg">
      <PageTitle title="Endpoints" />
      <RoleGate capability="manageEndpoints" activity="manage endpoints">
        <EndpointsCard />
      </RoleGate>
    </Stack>
  );
}

function EndpointsCard() {
  const endpoints = useEndpoints();
  const applications = useApplications();
  const [creating, setCreating] = useState(false);
  if (endpoints.isPending) return <Loader size="sm" aria-label="Loading" />;
  if (endpoints.isError) return <QueryError error={endpoints.error} />;
  const list = endpoints.data.endpoints;
  return (
    <Card withBorder padding="lg">
      <Group justify="space-between" mb="sm">
        <Text fz="sm" c="dimmed" maw={640}>
          A SIP phone or softphone signs in with an endpoint's username and password; calls to its SIP URI
          ring it, and its calls use the linked application.
        </Text>
        <Button onClick={() => setCreating(true)}>Create Endpoint</Button>
      </Group>
      {list.length === 0 ? (
        <Text fz="sm">No endpoints yet.</Text>
      ) : (
        <EndpointsTable endpoints={list} applications={applications.data?.applications ?? []} />
      )}
      <EndpointDialog opened={creating} onClose={() => setCreating(false)} />
    </Card>
  );
}
