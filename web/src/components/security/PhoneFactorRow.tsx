import { ActionIcon, Badge, Menu, Stack, Switch } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api';
import { DotsIcon } from '../DotsIcon';
import { FormAlert } from '../FormAlert';
import { useReauthentication } from '../Reauthentication';
import { ChangeNumberDialog } from './ChangeNumberDialog';
import { FactorRow } from './FactorRow';
import { type SecurityOverview, securityKey } from './overview';

/** Phone Verification: the verified number, whether its codes work for sign-in, and Change Number. */
export function PhoneFactorRow({ overview }: { overview: SecurityOverview }) {
  const queryClient = useQueryClient();
  const reauthentication = useReauthentication();
  const [changing, setChanging] = useState(false);
  const toggle = useMutation({
    mutationFn: (enabled: boolean) =>
      reauthentication.run(() => api.put('/api/security/phone-factor', { enabled })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: securityKey }),
  });
  const { phone } = overview;

  return (
    <Stack gap={0}>
      <FactorRow
        title="Phone Verification"
        status={
          <Badge color={phone.enabled ? 'teal' : 'gray'} variant="light">
            {phone.enabled ? 'On' : 'Off'}
          </Badge>
        }
        description={
          phone.number ? `Codes by SMS or voice call to ${phone.number}.` : 'No phone number is verified.'
        }
        actions={
          <>
            {phone.verified && (
              <Switch
                label="Use for sign-in"
                checked={toggle.isPending ? Boolean(toggle.variables) : phone.enabled}
                disabled={toggle.isPending}
                onChange={(event) => toggle.mutate(event.currentTarget.checked)}
              />
            )}
            <Menu position="bottom-end" withinPortal>
              <Menu.Target>
                <ActionIcon variant="subtle" color="gray" aria-label="Phone Verification actions">
                  <DotsIcon />
                </ActionIcon>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Item onClick={() => setChanging(true)}>Change Number</Menu.Item>
              </Menu.Dropdown>
            </Menu>
          </>
        }
      />
      <FormAlert error={toggle.error} />
      <ChangeNumberDialog overview={overview} opened={changing} onClose={() => setChanging(false)} />
      {reauthentication.dialog}
    </Stack>
  );
}
