import { Card, Loader, Text, Title } from '@mantine/core';
import type { InactivityStatus } from '@server/modules/account-security/schemas';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api';
import { QueryError } from '../QueryError';

/** The inactive account policy with its numbers, and when the account was last active. */
export function InactivityPolicyCard() {
  const policy = useQuery({
    queryKey: ['security', 'inactivity-policy'],
    queryFn: () => api.get<InactivityStatus>('/api/security/inactivity-policy'),
  });
  return (
    <Card withBorder padding="lg">
      <Title order={3} fz="h5" mb="xs">
        Inactive account policy
      </Title>
      {policy.isPending && <Loader size="sm" />}
      {policy.isError && <QueryError error={policy.error} />}
      {policy.data && (
        <>
          <Text fz="sm">
            Accounts with stored payment methods are vulnerable to takeover, so accounts are reviewed for
            activity. An account with a stored payment method and no sign-in or API use for{' '}
            {policy.data.warnDays} days is warned by email (Owner and Admins); after {policy.data.removeDays}{' '}
            more days its stored payment methods are removed and auto-recharge is turned off. Any sign-in or
            API use starts the count again. To keep your account active, maintain regular usage or contact
            support.
          </Text>
          {policy.data.lastActiveAt && (
            <Text fz="sm" c="dimmed" mt="xs">
              Last activity: {new Date(policy.data.lastActiveAt).toLocaleString()}.
            </Text>
          )}
          {policy.data.warnedAt && (
            <Text fz="sm" c="orange" mt="xs">
              Inactivity warning sent {new Date(policy.data.warnedAt).toLocaleString()}.
            </Text>
          )}
          {policy.data.paymentMethodsRemovedAt && (
            <Text fz="sm" c="red" mt="xs">
              Stored payment methods were removed for inactivity on{' '}
              {new Date(policy.data.paymentMethodsRemovedAt).toLocaleString()}.
            </Text>
          )}
        </>
      )}
    </Card>
  );
}
