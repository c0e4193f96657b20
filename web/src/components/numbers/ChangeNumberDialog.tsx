import { TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import type { ConsoleNumberChange } from '../../../../src/modules/numbers/schemas';
import { api } from '../../api';
import { ApplicationSelect } from '../applications/ApplicationSelect';
import { DialogForm, FormDialog } from '../FormDialog';
import { subaccountsKey } from '../subaccounts/subaccounts';
import { appIdOf, numberPath, numbersKey, type RentedNumber } from './numbers';
import { SubaccountChoice } from './SubaccountChoice';

export type NumberChange = 'alias' | 'application' | 'move';

const titles: Record<NumberChange, string> = {
  alias: 'Edit alias of',
  application: 'Link application to',
  move: 'Move',
};

/** One change to a rented number: its alias, its application, or the (sub)account holding it. */
export function ChangeNumberDialog({
  change,
  number,
  mainAuthId,
  onClose,
}: {
  change: NumberChange | null;
  number?: RentedNumber;
  mainAuthId: string;
  onClose: () => void;
}) {
  return (
    <FormDialog
      opened={Boolean(change && number)}
      onClose={onClose}
      title={change && number ? `${titles[change]} ${number.number}` : ''}
    >
      {change && number && (
        <ChangeForm change={change} number={number} mainAuthId={mainAuthId} onDone={onClose} />
      )}
    </FormDialog>
  );
}

function ChangeForm({
  change,
  number,
  mainAuthId,
  onDone,
}: {
  change: NumberChange;
  number: RentedNumber;
  mainAuthId: string;
  onDone: () => void;
}) {
  const queryClient = useQueryClient();
  const initial = {
    alias: number.alias ?? '',
    application: appIdOf(number.application) ?? '',
    move: number.sub_account ?? mainAuthId,
  }[change];
  const [value, setValue] = useState(initial);
  const body: ConsoleNumberChange = {
    alias: { alias: value },
    application: { appId: value || null },
    move: { subaccount: value },
  }[change];
  const save = useMutation({
    mutationFn: () => api.patch(numberPath(number.number), body),
    onSuccess: () => onDone(),
    onSettled: () =>
      Promise.all(
        [numbersKey, subaccountsKey].map((queryKey) => queryClient.invalidateQueries({ queryKey })),
      ),
  });
  return (
    <DialogForm save={save} submitLabel={change === 'move' ? 'Move' : 'Save'} onCancel={onDone}>
      {change === 'alias' && (
        <TextInput
          label="Alias"
          data-autofocus
          maxLength={200}
          value={value}
          onChange={(event) => setValue(event.currentTarget.value)}
        />
      )}
      {change === 'application' && (
        <ApplicationSelect
          value={value}
          onChange={setValue}
          description="Switchboard calls its URLs for the calls and messages to this number."
        />
      )}
      {change === 'move' && (
        <SubaccountChoice
          label="Move to"
          mainValue={mainAuthId}
          value={value}
          onChange={setValue}
          description="Its calls and messages then belong to that account's credentials."
        />
      )}
    </DialogForm>
  );
}
