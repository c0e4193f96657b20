import { Stack } from '@mantine/core';
import { PageTitle } from '../../components/PageTitle';
import { RoleGate } from '../../components/RoleGate';
import { BalanceAlertsSection } from './BalanceAlertsSection';

/**
 * Billing > Payment Settings: one section per concern, each its own component (balance alerts now;
 * payment methods, recharge and auto-recharge join as sections of their own).
 */
export function PaymentSettingsPage() {
  return (
    <Stack maw={1200} gap="lg">
      <PageTitle section="Billing" title="Payment Settings" />
      <RoleGate capability="managePayments" activity="change payment settings">
        <BalanceAlertsSection />
      </RoleGate>
    </Stack>
  );
}
