import { Button, Group, NativeSelect, TextInput } from '@mantine/core';
import { useFilterDraft } from '../../components/filterDraft';
import { SubaccountFilter } from '../../components/subaccounts/SubaccountFilter';
import { emptyMessageFilter, type MessageLogFilter } from './messaging';

const states = ['scheduled', 'queued', 'sent', 'delivered', 'undelivered', 'failed', 'canceled', 'received'];

/** Time range, state, direction, sender, destination and subaccount; applied together. */
export function MessageFilters({
  filter,
  onApply,
}: {
  filter: MessageLogFilter;
  onApply: (filter: MessageLogFilter) => void;
}) {
  const { draft, field, set, submit } = useFilterDraft(filter, onApply);
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
        <SubaccountFilter value={draft.subaccount} onChange={(subaccount) => set({ subaccount })} />
        <Button type="submit">Apply</Button>
        <Button variant="default" onClick={() => onApply(emptyMessageFilter)}>
          Clear
        </Button>
      </Group>
    </form>
  );
}
