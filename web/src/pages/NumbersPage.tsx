import { Button, Card, Group, Loader, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useAccess, useMe } from '../access';
import { useApplications } from '../components/applications/applications';
import { BuyNumberDialog } from '../components/numbers/BuyNumberDialog';
import { NumbersTable } from '../components/numbers/NumbersTable';
import { useNumbers } from '../components/numbers/numbers';
import { PageTitle } from '../components/PageTitle';
import { QueryError } from '../components/QueryError';
import { RoleGate } from '../components/RoleGate';
import { useSubaccounts } from '../components/subaccounts/subaccounts';

/** Phone Numbers: the numbers the account rents, and buying more (straight into a subaccount if wanted). */
export function NumbersPage() {
  return (
    <Stack maw={1200} gap="lg">
      <PageTitle title="Phone Numbers" />
      <RoleGate capability="manageNumbers" activity="manage phone numbers">
        <NumbersCard />
      </RoleGate>
    </Stack>
  );
}

function NumbersCard() {
  const access = useAccess();
  const me = useMe();
  const numbers = useNumbers();
  const applications = useApplications();
  const subaccounts = useSubaccounts({ enabled: access.can('viewSubaccounts') });
  const [buying, setBuying] = useState(false);
  const canRent = access.can('rentNumbers');
  if (numbers.isPending) return <Loader size="sm" aria-label="Loading" />;
  if (numbers.isError) return <QueryError error={numbers.error} />;
  const list = numbers.data.numbers;
  return (
    <Card withBorder padding="lg">
      <Group justify="space-between" mb="sm">
        <Text fz="sm" c="dimmed" maw={640}>
          Calls and messages to a number reach its linked application; a number in a subaccount is reached
          with that subaccount's credentials.
          {!canRent && ' Only an Owner or Admin can buy or release numbers.'}
        </Text>
        {canRent && <Button onClick={() => setBuying(true)}>Buy number</Button>}
      </Group>
      {list.length === 0 ? (
        <Text fz="sm">No phone numbers yet.</Text>
      ) : (
        <NumbersTable
          numbers={list}
          applications={applications.data?.applications ?? []}
          subaccounts={subaccounts.data?.subaccounts ?? []}
          mainAuthId={me.data?.account?.authId ?? ''}
          canRelease={canRent}
        />
      )}
      <BuyNumberDialog opened={buying} onClose={() => setBuying(false)} />
    </Card>
  );
}
