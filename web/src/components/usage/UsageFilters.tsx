import { Button, Group, NativeSelect, TextInput } from '@mantine/core';
import { type FormEvent, useEffect, useState } from 'react';
import { useMe } from '../../access';
import { emptyUsageFilter, type UsageFilter } from './usage';

/** Date range (the account's local days), product and subaccount; applied together. */
export function UsageFilters({
  filter,
  subaccounts,
  onApply,
}: {
  filter: UsageFilter;
  subaccounts: { authId: string; name: string }[];
  onApply: (filter: UsageFilter) => void;
}) {
  const [draft, setDraft] = useState(filter);
  useEffect(() => setDraft(filter), [filter]);
  const mainAuthId = useMe().data?.account?.authId ?? '';
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply(draft);
  };
  return (
    <form onSubmit={submit} aria-label="Filter usage">
      <Group align="flex-end" gap="sm">
        <TextInput
          type="date"
          label="From"
          description="Empty: start of this month"
          w={170}
          value={draft.from}
          onChange={(event) => setDraft({ ...draft, from: event.currentTarget.value })}
        />
        <TextInput
          type="date"
          label="To"
          description="Empty: today"
          w={170}
          value={draft.to}
          onChange={(event) => setDraft({ ...draft, to: event.currentTarget.value })}
        />
        <NativeSelect
          label="Product"
          w={140}
          value={draft.product}
          onChange={(event) => setDraft({ ...draft, product: event.currentTarget.value })}
          data={[
            { value: '', label: 'All' },
            { value: 'voice', label: 'Voice' },
            { value: 'sms', label: 'SMS' },
            { value: 'mms', label: 'MMS' },
            { value: 'numbers', label: 'Numbers' },
          ]}
        />
        <NativeSelect
          label="Subaccount"
          w={240}
          value={draft.subaccount}
          onChange={(event) => setDraft({ ...draft, subaccount: event.currentTarget.value })}
          data={[
            { value: '', label: 'All' },
            ...(mainAuthId ? [{ value: mainAuthId, label: 'Main account only' }] : []),
            ...subaccounts.map((subaccount) => ({
              value: subaccount.authId,
              label: `${subaccount.name} (${subaccount.authId})`,
            })),
          ]}
        />
        <Button type="submit">Apply</Button>
        <Button variant="default" onClick={() => onApply(emptyUsageFilter)}>
          Clear
        </Button>
      </Group>
    </form>
  );
}
