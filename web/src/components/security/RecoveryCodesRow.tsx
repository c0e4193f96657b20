import { Badge, Button, Group, Modal, Stack, Text } from '@mantine/core';
import type { RecoveryCodes } from '@server/modules/identity/schemas';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api';
import { FormAlert } from '../FormAlert';
import { useReauthentication } from '../Reauthentication';
import { FactorRow } from './FactorRow';
import { type SecurityOverview, securityKey } from './overview';
import { RecoveryCodesDialog } from './RecoveryCodesDialog';

/** Recovery codes: how many are left, and a new set of ten (shown once, replacing the old set). */
export function RecoveryCodesRow({ overview }: { overview: SecurityOverview }) {
  const queryClient = useQueryClient();
  const reauthentication = useReauthentication();
  const [confirming, setConfirming] = useState(false);
  const generate = useMutation({
    mutationFn: () => reauthentication.run(() => api.post<RecoveryCodes>('/api/security/recovery-codes')),
    onSuccess: () => setConfirming(false),
    onSettled: () => queryClient.invalidateQueries({ queryKey: securityKey }),
  });
  const { remaining } = overview.recoveryCodes;

  return (
    <Stack gap={0}>
      <FactorRow
        title="Recovery codes"
        status={
          <Badge color={remaining > 0 ? 'teal' : 'gray'} variant="light">
            {remaining} left
          </Badge>
        }
        description="One-time codes to sign in when you cannot use your phone or app. Keep them somewhere safe."
        actions={
          <Button
            variant="default"
            onClick={() => (remaining > 0 ? setConfirming(true) : generate.mutate())}
            loading={generate.isPending && !confirming}
          >
            {remaining > 0 ? 'Generate new codes' : 'Generate codes'}
          </Button>
        }
      />
      {!confirming && <FormAlert error={generate.error} />}
      <Modal opened={confirming} onClose={() => setConfirming(false)} title="Generate new codes?" centered>
        <Stack>
          <Text fz="sm">
            Your {remaining} unused recovery codes stop working, and ten new ones replace them.
          </Text>
          <FormAlert error={generate.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirming(false)}>
              Cancel
            </Button>
            <Button onClick={() => generate.mutate()} loading={generate.isPending}>
              Generate new codes
            </Button>
          </Group>
        </Stack>
      </Modal>
      <RecoveryCodesDialog codes={generate.data?.codes ?? null} onClose={() => generate.reset()} />
      {reauthentication.dialog}
    </Stack>
  );
}
