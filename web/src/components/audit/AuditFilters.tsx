import { Button, Group, NativeSelect, TextInput } from '@mantine/core';
import { useFilterDraft } from '../filterDraft';
import { AUDIT_RESOURCES, type AuditFilter, emptyAuditFilter } from './audit';

/** Actor, action, resource, source IP and time range; applied together. */
export function AuditFilters({
  filter,
  onApply,
}: {
  filter: AuditFilter;
  onApply: (filter: AuditFilter) => void;
}) {
  const { field, submit } = useFilterDraft(filter, onApply);
  return (
    <form onSubmit={submit} aria-label="Filter audit events">
      <Group align="flex-end" gap="sm">
        <TextInput label="Actor" placeholder="email, Auth ID or operator staff" w={230} {...field('actor')} />
        <TextInput label="Action" placeholder="team.role_changed" w={190} {...field('action')} />
        <NativeSelect
          label="Resource"
          w={150}
          data={[
            { value: '', label: 'All' },
            ...AUDIT_RESOURCES.map((resource) => ({ value: resource, label: resource })),
          ]}
          {...field('resource')}
        />
        <TextInput label="Source IP" w={150} {...field('ip')} />
        <TextInput type="datetime-local" label="From" w={210} {...field('from')} />
        <TextInput type="datetime-local" label="To" w={210} {...field('to')} />
        <Button type="submit">Apply</Button>
        <Button variant="default" onClick={() => onApply(emptyAuditFilter)}>
          Clear
        </Button>
      </Group>
    </form>
  );
}
