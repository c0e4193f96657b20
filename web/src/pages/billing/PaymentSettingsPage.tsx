import { Stack } from '@mantine/core';
import { PageTitle } from '../../components/PageTitle';
import { RoleGate } from '../../components/RoleGate';
import { AutoRechargeSection } from './AutoRechargeSection';
import { BalanceAlertsSection } from './BalanceAlertsSection';
import { CardsAndRechargeSection } from './CardsAndRechargeSection';

/**
 * Billing > Payment Settings: one section per concern, each its own component: cards and Recharge
 * now (with the payments made), auto-recharge, balance alerts.
 */
export function PaymentSettingsPage() {
  return (
    <Stack maw={1200} gap="lg">
      <PageTitle section="Billing" title="Payment Settings" />
      <RoleGate capability="managePayments" activity="change payment settings">
        <Stack gap="lg">
          <CardsAndRechargeSection />
          <AutoRechargeSection />
          <BalanceAlertsSection />
        </Stack>
      </RoleGate>
    </Stack>
  );
}
