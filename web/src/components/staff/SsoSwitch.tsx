import { Button, Group, Loader, Modal, Stack, Switch, Text, TextInput } from '@mantine/core';
import type { SetSsoAvailable, StaffSsoView } from '@server/modules/sso/schemas';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api } from '../../api';
import { FormAlert } from '../FormAlert';
import type { AccountMatch } from './accounts';

const ssoPath = (accountId: string) => `/api/staff/accounts/${accountId}/sso`;
const ssoKey = (accountId: string) => ['staff', 'sso', accountId] as const;

/**
 * Whether single sign-on is available to an account ("Contact support to access SSO"), turned on or
 * off by staff with a reason the customer reads in their audit log.
 */
export function SsoSwitch({ account }: { account: AccountMatch }) {
  const queryClient = useQueryClient();
  const [asked, setAsked] = useState<boolean | null>(null);
  const [reason, setReason] = useState('');
  const sso = useQuery({
    queryKey: ssoKey(account.id),
    queryFn: () => api.get<StaffSsoView>(ssoPath(account.id)),
  });
  const change = useMutation({
    mutationFn: (enabled: boolean) =>
      api.put<StaffSsoView>(ssoPath(account.id), {
        enabled,
        reason: reason.trim(),
      } satisfies SetSsoAvailable),
    onSuccess: (view) => {
      queryClient.setQueryData(ssoKey(account.id), view);
      setAsked(null);
      setReason('');
    },
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
  const close = () => {
    setAsked(null);
    setReason('');
    change.reset();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (asked !== null) change.mutate(asked);
  };
  const verb = asked ? 'Turn on' : 'Turn off';
  return (
    <>
      <Switch
        aria-label={`SSO for ${account.name}`}
        label={usage}
        checked={sso.data.enabled}
        disabled={change.isPending}
        onChange={(event) => setAsked(event.currentTarget.checked)}
      />
      <Modal opened={asked !== null} onClose={close} title={`${verb} SSO for ${account.name}`} centered>
        <form onSubmit={submit}>
          <Stack>
            <TextInput
              label="Reason"
              description="The customer reads it in their audit log."
              required
              maxLength={500}
              value={reason}
              onChange={(event) => setReason(event.currentTarget.value)}
            />
            <FormAlert error={change.error} fields={['reason']} />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" loading={change.isPending} disabled={reason.trim() === ''}>
                {verb} SSO
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
