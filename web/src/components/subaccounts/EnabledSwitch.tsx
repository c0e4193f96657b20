import { Switch, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api';
import { type Subaccount, subaccountPath, subaccountsKey } from './subaccounts';

/** Enables or disables a subaccount from its row; the server's refusal is shown under the switch. */
export function EnabledSwitch({ subaccount, canManage }: { subaccount: Subaccount; canManage: boolean }) {
  const queryClient = useQueryClient();
  const change = useMutation({
    mutationFn: (enabled: boolean) => api.patch(subaccountPath(subaccount.authId), { enabled }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: subaccountsKey }),
  });
  return (
    <>
      <Switch
        aria-label={`${subaccount.name} enabled`}
        checked={subaccount.enabled}
        disabled={!canManage || change.isPending}
        onChange={(event) => change.mutate(event.currentTarget.checked)}
      />
      {change.isError && (
        <Text fz="xs" c="red" role="alert">
          {change.error.message}
        </Text>
      )}
    </>
  );
}
