import { NativeSelect, Stack, Switch, Text } from '@mantine/core';
import type { SsoSettingsInput } from '@server/modules/sso/schemas';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api';
import { FormAlert } from '../FormAlert';
import { useReauthentication } from '../Reauthentication';
import { assignableRoles } from '../team/team';
import { type SsoView, ssoKey } from './sso';

/** Require SSO, and just-in-time membership with the role new members get. */
export function SsoSettings({ sso }: { sso: SsoView }) {
  const queryClient = useQueryClient();
  const reauthentication = useReauthentication();
  const update = useMutation({
    mutationFn: (change: SsoSettingsInput) =>
      reauthentication.run(() => api.put<SsoView>('/api/sso/settings', change)),
    onSuccess: (view) => queryClient.setQueryData(ssoKey, view),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ssoKey }),
  });
  const jitOn = sso.jitRole !== null;
  return (
    <Stack gap="sm">
      <Switch
        label="Require SSO"
        description="Members must sign in through the identity provider. The Owner keeps a password, to get in when the provider is down."
        checked={sso.requireSso}
        disabled={update.isPending || !sso.connection}
        onChange={(event) => update.mutate({ requireSso: event.currentTarget.checked })}
      />
      <Switch
        label="Just-in-time membership"
        description={
          sso.verifiedDomain
            ? `People at ${sso.verifiedDomain} who sign in through the identity provider join the account.`
            : 'Needs the Owner’s verified work email domain.'
        }
        checked={jitOn}
        disabled={update.isPending || (!jitOn && !sso.verifiedDomain)}
        onChange={(event) => update.mutate({ jitRole: event.currentTarget.checked ? 'developer' : null })}
      />
      {jitOn && (
        <NativeSelect
          label="Default role"
          w={240}
          ml={54}
          value={sso.jitRole ?? ''}
          disabled={update.isPending}
          data={assignableRoles}
          onChange={(event) =>
            update.mutate({ jitRole: event.currentTarget.value as SsoSettingsInput['jitRole'] })
          }
        />
      )}
      {!sso.connection && (
        <Text fz="xs" c="dimmed">
          Require SSO becomes available once an identity provider is active.
        </Text>
      )}
      <FormAlert error={update.error} />
      {reauthentication.dialog}
    </Stack>
  );
}
