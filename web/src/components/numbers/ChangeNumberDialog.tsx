import { Button, Group, Modal, NativeSelect, Stack, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import type { ConsoleNumberChange } from '../../../../src/modules/numbers/schemas';
import { api } from '../../api';
import { useApplications } from '../applications/applications';
import { FormAlert } from '../FormAlert';
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
    <Modal
      opened={Boolean(change && number)}
      onClose={onClose}
      title={change && number ? `${titles[change]} ${number.number}` : ''}
      centered
    >
      {change && number && (
        <ChangeForm change={change} number={number} mainAuthId={mainAuthId} onDone={onClose} />
      )}
    </Modal>
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
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        {change === 'alias' && (
          <TextInput
            label="Alias"
            data-autofocus
            maxLength={200}
            value={value}
            onChange={(event) => setValue(event.currentTarget.value)}
          />
        )}
        {change === 'application' && <ApplicationChoice value={value} onChange={setValue} />}
        {change === 'move' && (
          <SubaccountChoice
            label="Move to"
            mainValue={mainAuthId}
            value={value}
            onChange={setValue}
            description="Its calls and messages then belong to that account's credentials."
          />
        )}
        <FormAlert error={save.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending}>
            {change === 'move' ? 'Move' : 'Save'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function ApplicationChoice({ value, onChange }: { value: string; onChange: (appId: string) => void }) {
  const applications = useApplications();
  return (
    <NativeSelect
      label="Application"
      description="Switchboard calls its URLs for the calls and messages to this number."
      value={value}
      onChange={(event) => onChange(event.currentTarget.value)}
      data={[
        { value: '', label: 'None' },
        ...(applications.data?.applications ?? []).map((application) => ({
          value: application.app_id,
          label: application.app_name,
        })),
      ]}
      error={applications.isError ? applications.error.message : undefined}
    />
  );
}
