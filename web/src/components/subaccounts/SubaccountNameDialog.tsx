import { Checkbox, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import type {
  ConsoleSubaccountChange,
  ConsoleSubaccountCreate,
} from '../../../../src/modules/subaccounts/schemas';
import { api, fieldError } from '../../api';
import { DialogForm, FormDialog } from '../FormDialog';
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
    <FormDialog
      opened={opened}
      onClose={onClose}
      title={subaccount ? `Rename ${subaccount.name}` : 'Create Subaccount'}
    >
      <NameForm subaccount={subaccount} onDone={onClose} />
    </FormDialog>
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
  return (
    <DialogForm
      save={save}
      submitLabel={subaccount ? 'Save' : 'Create'}
      onCancel={onDone}
      errorFields={['name']}
    >
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
    </DialogForm>
  );
}
