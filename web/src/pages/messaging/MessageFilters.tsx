import { Button, Group, NativeSelect, TextInput } from '@mantine/core';
import { type ChangeEvent, type FormEvent, useEffect, useState } from 'react';
import { useAccess } from '../../access';
import { useSubaccounts } from '../../components/subaccounts/subaccounts';
import { emptyMessageFilter, type MessageLogFilter } from './messaging';

const states = ['scheduled', 'queued', 'sent', 'delivered', 'undelivered', 'failed', 'canceled', 'received'];

/** Whose messages: all, or one subaccount's; roles that may not list subaccounts type its Auth ID. */
function SubaccountFilter({ value, onChange }: { value: string; onChange: (authId: string) => void }) {
  const access = useAccess();
  const subaccounts = useSubaccounts({ enabled: access.can('viewSubaccounts') });
  if (!access.can('viewSubaccounts'))
    return (
      <TextInput
        label="Subaccount"
        placeholder="SA… Auth ID"
        w={200}
        value={value}
        onChange={(event) => onChange(event.currentTarget.value)}
      />
    );
  return (
    <NativeSelect
      label="Subaccount"
      w={220}
      value={value}
      onChange={(event) => onChange(event.currentTarget.value)}
      data={[
        { value: '', label: 'All' },
        ...(subaccounts.data?.subaccounts ?? []).map((subaccount) => ({
          value: subaccount.authId,
          label: `${subaccount.name} (${subaccount.authId})`,
        })),
      ]}
    />
  );
}

/** Time range, state, direction, sender, destination and subaccount; applied together. */
export function MessageFilters({
  filter,
  onApply,
}: {
  filter: MessageLogFilter;
  onApply: (filter: MessageLogFilter) => void;
}) {
  const [draft, setDraft] = useState(filter);
  useEffect(() => setDraft(filter), [filter]);
  const field = (name: keyof MessageLogFilter) => ({
    value: draft[name],
    onChange: (event: ChangeEvent<HTMLInputElement | HTMLSelectElement>) =>
      setDraft({ ...draft, [name]: event.currentTarget.value }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply(draft);
  };
  return (
    <form onSubmit={submit} aria-label="Filter messages">
      <Group align="flex-end" gap="sm">
        <TextInput type="datetime-local" label="From" w={210} {...field('from')} />
        <TextInput type="datetime-local" label="To" w={210} {...field('to')} />
        <NativeSelect
          label="State"
          w={140}
          data={[{ value: '', label: 'Any' }, ...states.map((state) => ({ value: state, label: state }))]}
          {...field('state')}
        />
        <NativeSelect
          label="Direction"
          w={130}
          data={[
            { value: '', label: 'Both' },
            { value: 'outbound', label: 'Outbound' },
            { value: 'inbound', label: 'Inbound' },
          ]}
          {...field('direction')}
        />
        <TextInput label="From number" placeholder="14155550100 or ACME" w={170} {...field('fromNumber')} />
        <TextInput label="To number" placeholder="14155550123" w={150} {...field('toNumber')} />
        <SubaccountFilter
          value={draft.subaccount}
          onChange={(subaccount) => setDraft({ ...draft, subaccount })}
        />
        <Button type="submit">Apply</Button>
        <Button variant="default" onClick={() => onApply(emptyMessageFilter)}>
          Clear
        </Button>
      </Group>
    </form>
  );
}
