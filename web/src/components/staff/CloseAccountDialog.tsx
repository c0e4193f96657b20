import { Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import type { AccountClosed } from '@server/modules/accounts/closure-schemas';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, fieldError } from '../../api';
import { FormAlert } from '../FormAlert';
import type { AccountMatch } from './accounts';

/**
 * Staff close an active or suspended account with a note: what the Owner's Close Account does
 * (deletions, numbers released, members signed out, the refund scheduled), audited with the staff member.
 */
export function CloseAccountDialog({
  account,
  onClose,
}: {
  account: AccountMatch | null;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const [note, setNote] = useState('');
  const close = useMutation({
    mutationFn: () => api.post<AccountClosed>(`/api/staff/accounts/${account?.id}/close`, { note }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['staff'] }),
  });
  const dismiss = () => {
    setNote('');
    close.reset();
    onClose();
  };
  return (
    <Modal opened={account !== null} onClose={dismiss} title={`Close ${account?.name ?? ''}`} centered>
      {close.data ? (
        <Stack>
          <Text fz="sm">
            Closed. Refund:{' '}
            {close.data.refund.nothing
              ? 'nothing'
              : `${close.data.refund.amount} by ${close.data.refund.dueOn}`}
            .
          </Text>
          <Group justify="flex-end">
            <Button onClick={dismiss}>Done</Button>
          </Group>
        </Stack>
      ) : (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            close.mutate();
          }}
        >
          <Stack>
            <Text fz="sm" c="dimmed">
              {account?.authId}: applications, endpoints, subaccounts and API logs are deleted, numbers go
              back to the inventory, every member is signed out, and the remaining credit from recharges of
              the last 90 days is refunded. This cannot be undone.
            </Text>
            <Textarea
              label="Note"
              description="Why the account is closed (audited)."
              autosize
              minRows={3}
              value={note}
              onChange={(event) => setNote(event.currentTarget.value)}
              error={fieldError(close.error, 'note')}
            />
            <FormAlert error={close.error} fields={['note']} />
            <Group justify="flex-end">
              <Button variant="default" onClick={dismiss}>
                Cancel
              </Button>
              <Button type="submit" color="red" loading={close.isPending}>
                Close the account
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
