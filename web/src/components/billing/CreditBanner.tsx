import { Alert, Button, Group, List, Text } from '@mantine/core';
import type { CreditStateView } from '@server/modules/credit-control/schemas';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useAccess } from '../../access';
import { api } from '../../api';
import { creditStateKey } from './payments';

/**
 * Across the top of every console page while the account is out of credit: what has stopped, what
 * has not, and the way back (Recharge, for those who may; the others are told who can). A region
 * named by its title, which Mantine links to it.
 */
export function CreditBanner() {
  const access = useAccess();
  const state = useQuery({
    queryKey: creditStateKey,
    queryFn: () => api.get<CreditStateView>('/api/credit'),
    refetchInterval: 30_000,
  });
  if (!state.data?.outOfCredit) return null;
  return (
    <Alert color="red" title="Your account has no credit to spend" mb="lg" role="region">
      <Text fz="sm">What has stopped until the balance is topped up:</Text>
      <List fz="sm" size="sm" mt={4} mb="sm">
        <List.Item>
          New calls and messages, and renting numbers: the API answers 402 Payment Required.
        </List.Item>
        <List.Item>Calls in progress are disconnected; scheduled messages are held, not sent.</List.Item>
        <List.Item>
          Your phone numbers stay rented: rentals owed are charged first from the next recharge.
        </List.Item>
      </List>
      <Group>
        {access.can('managePayments') ? (
          <Button component={Link} to="/billing/payment-settings" color="red" size="xs">
            Recharge
          </Button>
        ) : (
          <Text fz="sm">Ask the account’s Owner, an Admin or a Financial Analyst to recharge.</Text>
        )}
      </Group>
    </Alert>
  );
}
