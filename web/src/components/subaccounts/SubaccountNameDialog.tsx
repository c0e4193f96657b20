import { Button, Checkbox, Group, Modal, Stack, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import type {
  ConsoleSubaccountChange,
  ConsoleSubaccountCreate,
} from '../../../../src/modules/subaccounts/schemas';
import { api, fieldError } from '../../api';
import { FormAlert } from '../FormAlert';
import { type Subaccount, subaccountPath, subaccountsKey } from './subaccounts';

/** Create Subaccount (name, enabled), or rename one when `subaccount` is given. */
export function SubaccountNameDialog({
  opened,
  subaccount,
  onClose,
}: {
  opened: boolean;
  subaccount?: Subaccount;
  onClose: () => void;
}) {
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={subaccount ? `Rename ${subaccount.name}` : 'Create Subaccount'}
      centered
    >
      {opened && <NameForm subaccount={subaccount} onDone={onClose} />}
    </Modal>
  );
}

function NameForm({ subaccount, onDone }: { subaccount?: Subaccount; onDone: () => void }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState(subaccount?.name ?? '');
  const [enabled, setEnabled] = useState(true);
  const save = useMutation({
    mutationFn: () =>
      subaccount
        ? api.patch(subaccountPath(subaccount.authId), { name } satisfies ConsoleSubaccountChange)
        : api.post('/api/subaccounts', { name, enabled } satisfies ConsoleSubaccountCreate),
    onSuccess: () => onDone(),
    onSettled: () => queryClient.invalidateQueries({ queryKey: subaccountsKey }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <TextInput
          label="Subaccount name"
          required
          data-autofocus
          maxLength={100}
          value={name}
          onChange={(event) => setName(event.currentTarget.value)}
          error={fieldError(save.error, 'name')}
        />
        {!subaccount && (
          <Checkbox
            label="Enabled"
            description="A disabled subaccount's Auth ID and Auth Token are refused by the API."
            checked={enabled}
            onChange={(event) => setEnabled(event.currentTarget.checked)}
          />
        )}
        <FormAlert error={save.error} fields={['name']} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending}>
            {subaccount ? 'Save' : 'Create'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
