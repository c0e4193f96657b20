import { Button, Group, NativeSelect, TextInput } from '@mantine/core';
import { useFilterDraft } from '../../components/filterDraft';
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
  const { draft, field, set, submit } = useFilterDraft(filter, onApply);
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
        <SubaccountFilter value={draft.subaccount} onChange={(subaccount) => set({ subaccount })} />
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
