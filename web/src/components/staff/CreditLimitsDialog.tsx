import { Alert, Button, Group, Loader, Modal, Stack, Text, TextInput } from '@mantine/core';
import type { LimitsOverviewView } from '@server/modules/credit-control/schemas';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, fieldError } from '../../api';
import { FormAlert } from '../FormAlert';
import type { AccountMatch } from './accounts';

const creditLimitsKey = (accountId: string) => ['staff', 'credit-limits', accountId] as const;

/** An account's limits beyond credit: calls and messages in progress at once, and the highest destination rate. */
export function CreditLimitsDialog({
  account,
  onClose,
}: {
  account: AccountMatch | null;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<{ maxSessions: string; maxDestinationRate: string } | null>(null);
  const limits = useQuery({
    queryKey: creditLimitsKey(account?.id ?? ''),
    queryFn: () => api.get<LimitsOverviewView>(`/api/staff/accounts/${account?.id}/credit-limits`),
    enabled: account !== null,
  });
  const current = limits.data?.account;
  const form = draft ?? {
    maxSessions: current ? String(current.maxSessions) : '',
    maxDestinationRate: current?.maxDestinationRate ?? '',
  };
  const save = useMutation({
    mutationFn: () =>
      api.put<LimitsOverviewView>(`/api/staff/accounts/${account?.id}/credit-limits`, {
        maxSessions: form.maxSessions.trim() === '' ? null : Number(form.maxSessions),
        maxDestinationRate: form.maxDestinationRate.trim() === '' ? null : form.maxDestinationRate.trim(),
      }),
    onSuccess: (saved) => {
      queryClient.setQueryData(creditLimitsKey(account?.id ?? ''), saved);
      setDraft(null);
    },
  });
  const close = () => {
    setDraft(null);
    save.reset();
    onClose();
  };
  return (
    <Modal
      opened={account !== null}
      onClose={close}
      title={`Credit limits of ${account?.name ?? ''}`}
      centered
    >
      <Stack>
        {limits.isPending && <Loader size="sm" aria-label="Loading" />}
        {limits.isError && <Alert color="red">{limits.error.message}</Alert>}
        {current && (
          <>
            <Text fz="sm" c="dimmed">
              {current.openSessions} calls and messages in progress now. Empty fields return to the operator’s
              defaults (CREDIT_MAX_SESSIONS, CREDIT_MAX_DESTINATION_RATE).
            </Text>
            <TextInput
              label="Calls and messages in progress at once"
              inputMode="numeric"
              value={form.maxSessions}
              onChange={(event) => setDraft({ ...form, maxSessions: event.currentTarget.value })}
              error={fieldError(save.error, 'maxSessions')}
            />
            <TextInput
              label={`Highest destination rate (${limits.data?.currency ?? ''} per minute or segment)`}
              placeholder="no limit"
              inputMode="decimal"
              value={form.maxDestinationRate}
              onChange={(event) => setDraft({ ...form, maxDestinationRate: event.currentTarget.value })}
              error={fieldError(save.error, 'maxDestinationRate')}
            />
          </>
        )}
        {save.isSuccess && draft === null && (
          <Alert color="teal" role="status">
            Credit limits saved.
          </Alert>
        )}
        <FormAlert error={save.error} fields={['maxSessions', 'maxDestinationRate']} />
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            Close
          </Button>
          <Button onClick={() => save.mutate()} loading={save.isPending} disabled={draft === null}>
            Save
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
