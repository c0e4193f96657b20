import { Button, Group, NativeSelect, TextInput } from '@mantine/core';
import { type ChangeEvent, type FormEvent, useEffect, useState } from 'react';
import { SubaccountFilter } from '../../components/subaccounts/SubaccountFilter';
import type { CallLogFilter } from './calls';

/** Direction, caller, callee and subaccount; applied together, keeping whether only live calls are shown. */
export function CallFilters({
  filter,
  onApply,
}: {
  filter: CallLogFilter;
  onApply: (filter: CallLogFilter) => void;
}) {
  const [draft, setDraft] = useState(filter);
  useEffect(() => setDraft(filter), [filter]);
  const field = (name: keyof CallLogFilter) => ({
    value: draft[name],
    onChange: (event: ChangeEvent<HTMLInputElement | HTMLSelectElement>) =>
      setDraft({ ...draft, [name]: event.currentTarget.value }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply(draft);
  };
  return (
    <form onSubmit={submit} aria-label="Filter calls">
      <Group align="flex-end" gap="sm">
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
        <TextInput label="From" placeholder="number or endpoint" w={190} {...field('fromNumber')} />
        <TextInput label="To" placeholder="number or endpoint" w={190} {...field('toNumber')} />
        <SubaccountFilter
          value={draft.subaccount}
          onChange={(subaccount) => setDraft({ ...draft, subaccount })}
        />
        <Button type="submit">Apply</Button>
        <Button
          variant="default"
          onClick={() =>
            onApply({ direction: '', fromNumber: '', toNumber: '', subaccount: '', live: filter.live })
          }
        >
          Clear
        </Button>
      </Group>
    </form>
  );
}
