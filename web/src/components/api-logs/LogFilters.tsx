import { Button, Group, TextInput } from '@mantine/core';
import { type ChangeEvent, type FormEvent, useEffect, useState } from 'react';
import { type ApiLogFilter, emptyFilter } from './logs';

/** Date range, status (429 or a class such as 4xx) and part of the path; applied together. */
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
        <Button type="submit">Apply</Button>
        <Button variant="default" onClick={() => onApply(emptyFilter)}>
          Clear
        </Button>
      </Group>
    </form>
  );
}
