import { Button, Group, Modal, NativeSelect, Stack, Text, Textarea } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, fieldError } from '../../api';
import { FormAlert } from '../FormAlert';
import type { AccountMatch } from './accounts';

const reasons = [
  { value: 'content_violation', label: 'Content violation' },
  { value: 'payment_failure', label: 'Payment failure' },
  { value: 'compliance_issue', label: 'Compliance issue' },
  { value: 'suspicious_activity', label: 'Suspicious activity' },
];

/**
 * Suspend an active account (a reason and the details its members read, emailed to its Owner and
 * Admins) or reinstate a suspended one (with a note). Every step is audited. A caller may prefill
 * the reason and details (the Flagged list suspends for suspicious activity).
 */
export function SuspensionDialog({
  account,
  onClose,
  prefill = { reason: 'content_violation', text: '' },
}: {
  account: Pick<AccountMatch, 'id' | 'authId' | 'name' | 'status'> | null;
  onClose: () => void;
  prefill?: { reason: string; text: string };
}) {
  const queryClient = useQueryClient();
  const [form, setForm] = useState(prefill);
  const reinstating = account?.status === 'suspended';
  const save = useMutation({
    mutationFn: () =>
      reinstating
        ? api.post(`/api/staff/accounts/${account?.id}/reinstate`, { note: form.text })
        : api.post(`/api/staff/accounts/${account?.id}/suspend`, { reason: form.reason, details: form.text }),
    onSuccess: () => {
      queryClient.invalidateQueries({ queryKey: ['staff'] });
      close();
    },
  });
  const close = () => {
    setForm(prefill);
    save.reset();
    onClose();
  };
  const field = reinstating ? 'note' : 'details';
  return (
    <Modal
      opened={account !== null}
      onClose={close}
      title={`${reinstating ? 'Reinstate' : 'Suspend'} ${account?.name ?? ''}`}
      centered
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          save.mutate();
        }}
      >
        <Stack>
          <Text fz="sm" c="dimmed">
            {reinstating
              ? `${account?.authId}: the API, calls and messages work again at once; the Owner and Admins are emailed.`
              : `${account?.authId}: the API answers 403 with the reason, calls in progress are ended, nothing new starts; the Owner and Admins are emailed the notice.`}
          </Text>
          {!reinstating && (
            <NativeSelect
              label="Reason"
              data={reasons}
              value={form.reason}
              onChange={(event) => setForm({ ...form, reason: event.currentTarget.value })}
            />
          )}
          <Textarea
            label={reinstating ? 'Note' : 'Details for the customer'}
            description={
              reinstating ? 'Why it is reinstated (audited).' : 'What happened and what to address.'
            }
            autosize
            minRows={3}
            value={form.text}
            onChange={(event) => setForm({ ...form, text: event.currentTarget.value })}
            error={fieldError(save.error, field)}
          />
          <FormAlert error={save.error} fields={[field]} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" color={reinstating ? 'teal' : 'red'} loading={save.isPending}>
              {reinstating ? 'Reinstate' : 'Suspend'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
