import { Button, Group, NativeSelect, TextInput } from '@mantine/core';
import { type ChangeEvent, type FormEvent, useEffect, useState } from 'react';
import { useAccess, useMe } from '../../access';
import { useSubaccounts } from '../subaccounts/subaccounts';
import { type ApiLogFilter, emptyFilter } from './logs';

/**
 * Whose requests: all, the main account's, or one subaccount's. Roles that may not list subaccounts
 * type a subaccount's Auth ID instead.
 */
function SubaccountFilter({ value, onChange }: { value: string; onChange: (authId: string) => void }) {
  const access = useAccess();
  const mainAuthId = useMe().data?.account?.authId ?? '';
  const subaccounts = useSubaccounts({ enabled: access.can('viewSubaccounts') });
  if (!access.can('viewSubaccounts')) {
    return (
      <TextInput
        label="Subaccount"
        placeholder="SA… Auth ID"
        w={200}
        value={value}
        onChange={(event) => onChange(event.currentTarget.value)}
      />
    );
  }
  return (
    <NativeSelect
      label="Subaccount"
      w={220}
      value={value}
      onChange={(event) => onChange(event.currentTarget.value)}
      data={[
        { value: '', label: 'All' },
        { value: mainAuthId, label: 'Main account only' },
        ...(subaccounts.data?.subaccounts ?? []).map((subaccount) => ({
          value: subaccount.authId,
          label: `${subaccount.name} (${subaccount.authId})`,
        })),
      ]}
    />
  );
}

/** Date range, status (429 or a class such as 4xx), part of the path and subaccount; applied together. */
export function LogFilters({
  filter,
  onApply,
}: {
  filter: ApiLogFilter;
  onApply: (filter: ApiLogFilter) => void;
}) {
  const [draft, setDraft] = useState(filter);
  useEffect(() => setDraft(filter), [filter]);
  const field = (name: keyof ApiLogFilter) => ({
    value: draft[name],
    onChange: (event: ChangeEvent<HTMLInputElement>) =>
      setDraft({ ...draft, [name]: event.currentTarget.value }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply(draft);
  };
  return (
    <form onSubmit={submit} aria-label="Filter API requests">
      <Group align="flex-end" gap="sm">
        <TextInput
          type="datetime-local"
          label="From"
          description="Empty: the last 24 hours"
          w={210}
          {...field('from')}
        />
        <TextInput type="datetime-local" label="To" w={210} {...field('to')} />
        <TextInput label="Status" placeholder="429 or 4xx" w={110} {...field('status')} />
        <TextInput label="Path contains" placeholder="/Account/" w={180} {...field('path')} />
        <SubaccountFilter
          value={draft.subaccount}
          onChange={(subaccount) => setDraft({ ...draft, subaccount })}
        />
        <Button type="submit">Apply</Button>
        <Button variant="default" onClick={() => onApply(emptyFilter)}>
          Clear
        </Button>
      </Group>
    </form>
  );
}
