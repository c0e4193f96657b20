import { Button, Card, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { useAccess } from '../../access';
import { moneyText, useBalance } from './billing';

/** The console home's balance, for the roles that see Billing (Owner, Admin, Financial Analyst). */
export function HomeBalanceCard() {
  const access = useAccess();
  const allowed = access.can('viewBilling');
  const balance = useBalance({ enabled: allowed });
  if (!allowed) return null;
  return (
    <Card withBorder padding="lg">
      <Group justify="space-between" align="flex-end">
        <Stack gap={2}>
          <Title order={3} fz="h5">
            Balance
          </Title>
          {balance.isPending && <Loader size="sm" aria-label="Loading" />}
          {balance.isError && (
            <Text fz="sm" c="red">
              {balance.error.message}
            </Text>
          )}
          {balance.data && (
            <Text
              fz="xl"
              fw={600}
              aria-label="Balance"
              c={balance.data.balanceMicros.startsWith('-') ? 'red' : undefined}
            >
              {moneyText(balance.data.balanceMicros, balance.data.currency)}
            </Text>
          )}
        </Stack>
        <Button component={Link} to="/billing/transactions" variant="light">
          Transactions
        </Button>
      </Group>
    </Card>
  );
}
