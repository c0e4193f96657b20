import { Button, Card, Group, Loader, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useAccess } from '../access';
import { PageTitle } from '../components/PageTitle';
import { QueryError } from '../components/QueryError';
import { RoleGate } from '../components/RoleGate';
import { SubaccountNameDialog } from '../components/subaccounts/SubaccountNameDialog';
import { SubaccountsTable } from '../components/subaccounts/SubaccountsTable';
import { useSubaccounts } from '../components/subaccounts/subaccounts';

/** Subaccounts: each with its own Auth ID and Auth Token, for separating customers or environments. */
export function SubaccountsPage() {
  return (
    <Stack maw={1100} gap="lg">
      <PageTitle title="Subaccounts" />
      <RoleGate capability="viewSubaccounts" activity="view subaccounts">
        <SubaccountsCard />
      </RoleGate>
    </Stack>
  );
}

function SubaccountsCard() {
  const access = useAccess();
  const subaccounts = useSubaccounts();
  const [creating, setCreating] = useState(false);
  const canManage = access.can('manageSubaccounts');
  if (subaccounts.isPending) return <Loader size="sm" aria-label="Loading" />;
  if (subaccounts.isError) return <QueryError error={subaccounts.error} />;
  const list = subaccounts.data.subaccounts;
  return (
    <Card withBorder padding="lg">
      <Group justify="space-between" mb="sm">
        <Text fz="sm" c="dimmed" maw={640}>
          A subaccount has its own Auth ID and Auth Token and reaches only its own applications and numbers;
          your main account's credentials reach every subaccount.
          {!canManage && ' Only an Owner or Admin can create or change subaccounts.'}
        </Text>
        {canManage && <Button onClick={() => setCreating(true)}>Create Subaccount</Button>}
      </Group>
      {list.length === 0 ? (
        <Text fz="sm">No subaccounts yet.</Text>
      ) : (
        <SubaccountsTable subaccounts={list} canManage={canManage} />
      )}
      <SubaccountNameDialog opened={creating} onClose={() => setCreating(false)} />
    </Card>
  );
}
