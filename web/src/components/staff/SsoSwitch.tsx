import { Loader, Switch, Text } from '@mantine/core';
import type { SetSsoAvailable, StaffSsoView } from '@server/modules/sso/schemas';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api';
import type { AccountMatch } from './accounts';

const ssoPath = (accountId: string) => `/api/staff/accounts/${accountId}/sso`;
const ssoKey = (accountId: string) => ['staff', 'sso', accountId] as const;

/** Whether single sign-on is available to an account ("Contact support to access SSO"), turned on or off by staff. */
export function SsoSwitch({ account }: { account: AccountMatch }) {
  const queryClient = useQueryClient();
  const sso = useQuery({
    queryKey: ssoKey(account.id),
    queryFn: () => api.get<StaffSsoView>(ssoPath(account.id)),
  });
  const change = useMutation({
    mutationFn: (enabled: boolean) =>
      api.put<StaffSsoView>(ssoPath(account.id), { enabled } satisfies SetSsoAvailable),
    onSuccess: (view) => queryClient.setQueryData(ssoKey(account.id), view),
  });
  if (sso.isPending) return <Loader size="xs" aria-label="Loading" />;
  if (sso.isError) {
    return (
      <Text fz="xs" c="red" role="alert">
        {sso.error.message}
      </Text>
    );
  }
  const usage = sso.data.activeProtocol
    ? `${sso.data.activeProtocol === 'oidc' ? 'OIDC' : 'SAML'}${sso.data.requireSso ? ', required' : ''}`
    : undefined;
  return (
    <>
      <Switch
        aria-label={`SSO for ${account.name}`}
        label={usage}
        checked={sso.data.enabled}
        disabled={change.isPending}
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
